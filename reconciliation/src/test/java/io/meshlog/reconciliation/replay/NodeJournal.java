package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCycle;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built node journal for replay tests: events are listed with explicit times (a node's clock
 * can be shifted on purpose with {@link #clockOffset}), then written through the real journal into
 * {@code dataDir/journal}. {@link #index(int)} gives the journal index of the k-th event written.
 */
final class NodeJournal {
  static final long T0 = 1_763_750_000_000_000_000L;
  static final long MS = 1_000_000L;

  final Path dataDir;
  final byte[] peer;
  private final List<Event> events = new ArrayList<>();
  private long[] indexes;
  private long clockOffset;

  NodeJournal(Path dataDir, int seed) {
    this.dataDir = dataDir;
    this.peer = peerId(seed);
  }

  /** A realistic Ed25519 peer id (identity multihash of the protobuf public key). */
  static byte[] peerId(int seed) {
    byte[] id = new byte[38];
    id[0] = 0;
    id[1] = 36;
    id[2] = 8;
    id[3] = 1;
    id[4] = 18;
    id[5] = 32;
    for (int i = 6; i < id.length; i++) {
      id[i] = (byte) (seed * 31 + i * 7);
    }
    return id;
  }

  static byte[] messageId(int n) {
    return new byte[] {(byte) 0xAB, (byte) (n >> 8), (byte) n};
  }

  String name() {
    return Base58.encode(peer);
  }

  /** Every later event's time is shifted by this much: this node's clock is wrong. */
  NodeJournal clockOffset(long nanos) {
    this.clockOffset = nanos;
    return this;
  }

  /** Adds an event at {@code ms} milliseconds after T0 on this node's (shifted) clock. */
  int add(long ms, Event e) {
    events.add(e.timeNanos(T0 + ms * MS + clockOffset));
    return events.size() - 1;
  }

  int started(long ms) {
    return add(ms, new Event().type(EventType.NODE_STARTED).peer(peer).text("meshlog/test"));
  }

  /**
   * The JOURNAL_CYCLE record the journal writes into each new cycle file: this node, joined to
   * {@code topic} with {@code mesh} in its mesh. A journal that starts with one is what remains
   * after retention deleted the cycle files with its NODE_STARTED, JOIN and GRAFTs.
   */
  int cycle(long ms, String topic, NodeJournal... mesh) {
    List<byte[]> peers = new ArrayList<>();
    for (NodeJournal n : mesh) {
      peers.add(n.peer);
    }
    return add(
        ms,
        new Event()
            .type(EventType.JOURNAL_CYCLE)
            .peer(peer)
            .text("meshlog/test")
            .data(new JournalCycle(List.of(new JournalCycle.Topic(topic, peers))).encode()));
  }

  int stopped(long ms) {
    return add(ms, new Event().type(EventType.NODE_STOPPED).text("close"));
  }

  int join(long ms, String topic) {
    return add(ms, new Event().type(EventType.JOIN).topic(topic));
  }

  int leave(long ms, String topic) {
    return add(ms, new Event().type(EventType.LEAVE).topic(topic));
  }

  int graft(long ms, String topic, NodeJournal other) {
    return add(
        ms,
        new Event()
            .type(EventType.GRAFT)
            .topic(topic)
            .peer(other.peer)
            .direction(Direction.OUTBOUND));
  }

  int prune(long ms, String topic, NodeJournal other) {
    return add(
        ms,
        new Event()
            .type(EventType.PRUNE)
            .topic(topic)
            .peer(other.peer)
            .direction(Direction.OUTBOUND)
            .text("test"));
  }

  int publish(long ms, String topic, int message, long seqno, long lamport) {
    return add(
        ms,
        new Event()
            .type(EventType.PUBLISH_MESSAGE)
            .topic(topic)
            .messageId(messageId(message))
            .origin(peer)
            .originSeqno(seqno)
            .lamport(lamport)
            .data(new byte[] {1, 2, 3})
            .size(3));
  }

  /** A delivery of {@code origin}'s message, forwarded by {@code from}. */
  int deliver(
      long ms, String topic, int message, byte[] origin, long seqno, long lamport, byte[] from) {
    return add(
        ms,
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .peer(from)
            .topic(topic)
            .messageId(messageId(message))
            .origin(origin)
            .originSeqno(seqno)
            .lamport(lamport)
            .data(new byte[] {1, 2, 3})
            .size(3));
  }

  int deliver(long ms, String topic, int message, NodeJournal origin, long seqno, long lamport) {
    return deliver(ms, topic, message, origin.peer, seqno, lamport, origin.peer);
  }

  int duplicate(long ms, String topic, int message, NodeJournal from) {
    return add(
        ms,
        new Event()
            .type(EventType.DUPLICATE_MESSAGE)
            .peer(from.peer)
            .topic(topic)
            .messageId(messageId(message)));
  }

  /** Writes every event through the real journal and records their indexes. */
  NodeJournal write() {
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(dataDir.resolve("journal"))
                .ringSize(64)
                .preallocateBytes(0)
                .build(),
            List.of())) {
      for (Event e : events) {
        journal.sink().publish(e);
      }
    }
    indexes = new long[events.size()];
    try (JournalReader reader = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      for (int i = 0; i < indexes.length; i++) {
        indexes[i] = reader.next(e.clear());
        // A write that straddles an hour boundary gets the journal's own JOURNAL_CYCLE record.
        while (indexes[i] >= 0
            && e.type() == EventType.JOURNAL_CYCLE
            && events.get(i).type() != EventType.JOURNAL_CYCLE) {
          indexes[i] = reader.next(e.clear());
        }
        if (indexes[i] < 0) {
          throw new AssertionError("journal of " + dataDir + " holds only " + i + " events");
        }
      }
    }
    return this;
  }

  /** The journal index of the event that {@code add} numbered {@code k}. */
  long index(int k) {
    return indexes[k];
  }

  EventType type(int k) {
    return events.get(k).type();
  }

  long time(int k) {
    return events.get(k).timeNanos();
  }

  /** The witness the report should give for the event numbered {@code k}. */
  Witness witness(int k) {
    return new Witness(name(), index(k), type(k), time(k));
  }
}
