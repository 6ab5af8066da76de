package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.metrics.CounterSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies journaled events to the projection rows and commits them. Every peer and topic row lives
 * in memory (a few hundred bytes each); an event only changes rows and, for messages, adds two
 * index keys to the pending RocksDB batch. At the end of a batch each dirty row is written once,
 * with the checkpoint, in one atomic write: the cost per event is a hash lookup and a few
 * additions, the cost per batch is one put per dirty key.
 *
 * <p>Nothing here reads a clock: the rows are a pure function of the events applied, so the same
 * journal prefix yields the same bytes whatever the batch boundaries were.
 *
 * <p>Not thread-safe: owned by the one thread that applies events.
 */
final class ProjectionWriter {

  static final int MAX_PEER_BYTES = 255;
  static final int MAX_TOPIC_BYTES = 1024;
  static final int MAX_MESSAGE_ID_BYTES = 1024;

  private final ProjectionStore store;
  private final CounterSet<ProjectionCounter> counters;
  private final PeerTable peers = new PeerTable();
  private final Map<String, TopicRow> topics = new HashMap<>();
  private final List<PeerRow> dirtyPeers = new ArrayList<>();
  private final List<TopicRow> dirtyTopics = new ArrayList<>();
  private final ByteBuffer key =
      ByteBuffer.allocateDirect(2 + MAX_TOPIC_BYTES + 8 + 1 + MAX_PEER_BYTES + 8);
  private final ByteBuffer value = ByteBuffer.allocateDirect(TopicRow.MAX_ENCODED_SIZE);
  private final ByteBuffer finalValue = ByteBuffer.allocateDirect(8 + MAX_MESSAGE_ID_BYTES);

  private long lastIndex;
  private long lastSequence;
  private long pendingEvents;
  private long unindexed;
  private boolean failed;

  ProjectionWriter(ProjectionStore store, CounterSet<ProjectionCounter> counters) {
    this.store = store;
    this.counters = counters;
    this.lastIndex = store.appliedIndex();
    this.lastSequence = store.appliedSequence();
    loadRows();
    counters.set(ProjectionCounter.APPLIED_INDEX, lastIndex);
    counters.set(ProjectionCounter.APPLIED_SEQUENCE, lastSequence);
  }

  /** The index of the last event applied (committed or pending). */
  long lastIndex() {
    return lastIndex;
  }

  boolean failed() {
    return failed;
  }

  /**
   * Applies one event and, when {@code endOfBatch}, commits everything pending. Events at or below
   * the last applied index are skipped, so replaying an overlap is harmless.
   *
   * @throws ProjectionException STORAGE when the commit fails; the writer then stops applying
   *     (counted) until the projections are reopened, which resumes from the checkpoint
   */
  void apply(Event event, long journalIndex, boolean endOfBatch) {
    if (failed) {
      counters.add(ProjectionCounter.EVENTS_NOT_APPLIED, 1);
      return;
    }
    if (journalIndex <= lastIndex) {
      counters.add(ProjectionCounter.EVENTS_SKIPPED, 1);
    } else {
      EventType type = event.type();
      if (type == EventType.MESSAGE_SIGNATURE) {
        indexSignature(event, journalIndex);
      } else if (type == EventType.MESSAGE_PENDING) {
        indexPending(event, journalIndex);
      } else if (type != null) {
        applyPeer(type, event);
        applyTopic(type, event, journalIndex);
        if (type == EventType.SEQUENCE_ASSIGNED) {
          applyFinal(event);
        }
      }
      lastIndex = journalIndex;
      if (event.sequence() != Event.ABSENT) {
        lastSequence = event.sequence();
      }
      pendingEvents++;
    }
    if (endOfBatch) {
      commit();
    }
  }

  /** Commits pending changes, if any. */
  void commit() {
    if (failed || pendingEvents == 0) {
      return;
    }
    try {
      for (PeerRow row : dirtyPeers) {
        key.clear();
        key.put(row.peer).flip();
        value.clear();
        row.encode(value);
        store.put(Column.PEER_STATS, key, value.flip());
        row.dirty = false;
      }
      for (TopicRow row : dirtyTopics) {
        key.clear();
        key.put(row.name).flip();
        value.clear();
        row.encode(value);
        store.put(Column.TOPIC_STATS, key, value.flip());
        row.dirty = false;
      }
      key.clear();
      key.put(ProjectionStore.APPLIED_KEY).flip();
      value.clear();
      value.putLong(lastIndex).flip();
      store.put(Column.META, key, value);
      key.clear();
      key.put(ProjectionStore.SEQUENCE_KEY).flip();
      value.clear();
      value.putLong(lastSequence).flip();
      store.put(Column.META, key, value);
      store.commit();
    } catch (RuntimeException e) {
      failed = true;
      counters.add(ProjectionCounter.ERRORS, 1);
      throw e;
    }
    counters.set(ProjectionCounter.APPLIED_INDEX, lastIndex);
    counters.set(ProjectionCounter.APPLIED_SEQUENCE, lastSequence);
    counters.add(ProjectionCounter.EVENTS_APPLIED, pendingEvents);
    counters.add(ProjectionCounter.BATCHES_COMMITTED, 1);
    counters.add(ProjectionCounter.ROWS_WRITTEN, dirtyPeers.size() + dirtyTopics.size());
    counters.add(ProjectionCounter.EVENTS_UNINDEXED, unindexed);
    dirtyPeers.clear();
    dirtyTopics.clear();
    pendingEvents = 0;
    unindexed = 0;
  }

  private void applyPeer(EventType type, Event e) {
    byte[] id = e.peer();
    // NODE_STARTED and JOURNAL_CYCLE name this node itself, not a remote peer.
    if (id == null || type == EventType.NODE_STARTED || type == EventType.JOURNAL_CYCLE) {
      return;
    }
    if (id.length == 0 || id.length > MAX_PEER_BYTES) {
      unindexed++;
      return;
    }
    PeerRow row = peers.getOrCreate(id);
    row.seen(e.timeNanos());
    switch (type) {
      case CONNECTION_OPENED:
        row.connections++;
        break;
      case CONNECTION_CLOSED:
        row.disconnects++;
        break;
      case PING_RTT:
        if (e.value() != Event.ABSENT) {
          row.lastRtt = e.value();
        }
        break;
      case RECV_RPC:
        row.messagesIn++;
        row.bytesIn += Math.max(e.size(), 0);
        break;
      case SEND_RPC:
        row.messagesOut++;
        row.bytesOut += Math.max(e.size(), 0);
        break;
      case DELIVER_MESSAGE:
        row.delivered++;
        break;
      case DUPLICATE_MESSAGE:
        row.duplicates++;
        break;
      case REJECT_MESSAGE:
      case INPUT_REJECTED:
        row.rejects++;
        break;
      default:
        break;
    }
    if (!row.dirty) {
      row.dirty = true;
      dirtyPeers.add(row);
    }
  }

  private void applyTopic(EventType type, Event e, long journalIndex) {
    if (type != EventType.PUBLISH_MESSAGE
        && type != EventType.DELIVER_MESSAGE
        && type != EventType.DUPLICATE_MESSAGE
        && type != EventType.REJECT_MESSAGE) {
      return;
    }
    String topic = e.topic();
    if (topic == null) {
      return;
    }
    TopicRow row = topics.get(topic);
    if (row == null) {
      row = new TopicRow(topic);
      if (row.name.length > MAX_TOPIC_BYTES) {
        unindexed++;
        return;
      }
      topics.put(topic, row);
    }
    switch (type) {
      case DUPLICATE_MESSAGE:
        row.duplicates++;
        break;
      case REJECT_MESSAGE:
        row.rejects++;
        break;
      default:
        row.messages++;
        byte[] data = e.data();
        row.bytes += data != null ? data.length : Math.max(e.size(), 0);
        row.lastMessage = e.timeNanos();
        if (type == EventType.DELIVER_MESSAGE && e.value() != Event.ABSENT) {
          row.latency(e.timeNanos() - e.value());
        }
        index(row, e, journalIndex);
        break;
    }
    if (!row.dirty) {
      row.dirty = true;
      dirtyTopics.add(row);
    }
  }

  private void index(TopicRow row, Event e, long journalIndex) {
    value.clear();
    value.putLong(journalIndex).flip();
    byte[] origin = e.origin();
    int originLength = origin == null ? 0 : origin.length;
    if (e.lamport() != Event.ABSENT && originLength <= MAX_PEER_BYTES) {
      key.clear();
      OrderingKey.write(key, row.name, e.lamport(), origin, e.originSeqno());
      store.put(Column.ORDERING, key.flip(), value);
      value.rewind();
    } else {
      unindexed++;
    }
    byte[] id = e.messageId();
    if (id != null && id.length > 0 && id.length <= MAX_MESSAGE_ID_BYTES) {
      key.clear();
      key.put(id).flip();
      store.put(Column.MESSAGE_IDS, key, value);
      value.rewind();
    }
    long sequence = EnvelopeSequence.of(e.data());
    if (sequence != Event.ABSENT && originLength > 0 && originLength <= MAX_PEER_BYTES) {
      key.clear();
      OriginSeqKey.write(key, row.name, origin, sequence);
      store.put(Column.ORIGIN_SEQS, key.flip(), value);
    }
  }

  /**
   * A message held until a peer connects takes its origin sequence at once: the key points at the
   * pending record until its PUBLISH_MESSAGE replaces it, so a restart never numbers it again.
   */
  private void indexPending(Event e, long journalIndex) {
    byte[] origin = e.origin();
    String topic = e.topic();
    long sequence = EnvelopeSequence.of(e.data());
    if (origin == null
        || origin.length == 0
        || origin.length > MAX_PEER_BYTES
        || topic == null
        || sequence == Event.ABSENT) {
      return;
    }
    byte[] name = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.length > MAX_TOPIC_BYTES) {
      return;
    }
    value.clear();
    value.putLong(journalIndex).flip();
    key.clear();
    OriginSeqKey.write(key, name, origin, sequence);
    store.put(Column.ORIGIN_SEQS, key.flip(), value);
  }

  private void indexSignature(Event e, long journalIndex) {
    byte[] id = e.messageId();
    if (id != null && id.length > 0 && id.length <= MAX_MESSAGE_ID_BYTES) {
      value.clear();
      value.putLong(journalIndex).flip();
      key.clear();
      key.put(id).flip();
      store.put(Column.SIGNATURES, key, value);
    }
  }

  /** A final position: (topic, seq) -> (epoch, id) and id -> (epoch, seq). */
  private void applyFinal(Event e) {
    byte[] id = e.messageId();
    String topic = e.topic();
    if (e.epoch() == Event.ABSENT
        || e.finalSeq() == Event.ABSENT
        || topic == null
        || id == null
        || id.length == 0
        || id.length > MAX_MESSAGE_ID_BYTES) {
      return; // schema 2 records carry no epoch; they are not part of the final order
    }
    byte[] name = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.length > MAX_TOPIC_BYTES) {
      unindexed++;
      return;
    }
    key.clear();
    key.putShort((short) name.length).put(name).putLong(e.finalSeq() ^ Long.MIN_VALUE).flip();
    finalValue.clear();
    finalValue.putLong(e.epoch()).put(id).flip();
    store.put(Column.FINAL_ORDER, key, finalValue);
    key.clear();
    key.put(id).flip();
    finalValue.clear();
    finalValue.putLong(e.epoch()).putLong(e.finalSeq()).flip();
    store.put(Column.FINAL_IDS, key, finalValue);
  }

  private void loadRows() {
    try (ProjectionStore.Cursor c = store.cursor(Column.PEER_STATS, null)) {
      for (; c.valid(); c.next()) {
        peers.add(PeerRow.decode(c.key(), c.value()));
      }
    }
    try (ProjectionStore.Cursor c = store.cursor(Column.TOPIC_STATS, null)) {
      for (; c.valid(); c.next()) {
        TopicRow row = TopicRow.decode(c.key(), c.value());
        topics.put(row.topic, row);
      }
    }
  }
}
