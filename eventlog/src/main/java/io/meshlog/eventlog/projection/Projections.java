package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.projection.ProjectionException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshlog's RocksDB projections of the journal: peer stats, topic stats, and the per-topic ordering
 * index, in one directory ({@code <data-dir>/projections/}), with the checkpoint (last applied
 * journal index) committed in the same write batch as the rows it covers.
 *
 * <p>Which event types feed which view:
 *
 * <pre>
 *  event type                 peer stats (key: event.peer)      topic stats (key: event.topic)
 *  -------------------------  --------------------------------  -----------------------------------
 *  any event naming a peer    firstSeen, lastSeen               -
 *    (except NODE_STARTED,
 *     which names this node)
 *  CONNECTION_OPENED          connections                       -
 *  CONNECTION_CLOSED          disconnects                       -
 *  PING_RTT                   lastRtt = value                   -
 *  RECV_RPC                   messagesIn, bytesIn += size       -
 *  SEND_RPC                   messagesOut, bytesOut += size     -
 *  PUBLISH_MESSAGE            -                                 messages, bytes, lastMessage
 *  DELIVER_MESSAGE            delivered (peer = forwarder)      messages, bytes, lastMessage,
 *                                                                 latency = time - value (if set)
 *  DUPLICATE_MESSAGE          duplicates                        duplicates
 *  REJECT_MESSAGE             rejects                           rejects
 *  INPUT_REJECTED             rejects                           -
 * </pre>
 *
 * PUBLISH_MESSAGE and DELIVER_MESSAGE also add {@code (topic, lamport, origin, originSeqno) ->
 * journal index} to the ordering index (when the event has a Lamport time) and {@code message id ->
 * journal index}. Other types only advance the checkpoint. Times are event times, never a clock's:
 * the same journal prefix replayed into an empty directory gives byte-identical views.
 *
 * <p>Threading: {@link #onJournaled}, {@link #catchUp} belong to one thread at a time (the
 * pipeline's projection thread, or the opener before the pipeline starts). The views ({@link
 * #peers()}, {@link #topic(String)}, {@link #orderingIndex(String)}...) and {@link #counter} are
 * thread-safe and show committed batches only. {@link #close()} after the writer has stopped and
 * cursors are closed; views called after close throw {@link IllegalStateException}.
 */
public final class Projections implements JournaledEventHandler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Projections.class);

  private final ProjectionConfig config;
  private final ProjectionStore store;
  private final CounterSet<ProjectionCounter> counters = CounterSet.of(ProjectionCounter.class);
  private final ProjectionWriter writer;
  private final Event scratch = new Event();

  /** Set by close; views check it so a late reader gets an exception, not a freed database. */
  private volatile boolean closed;

  // Views run on other threads (JMX sampler, tools) than close(): a view holds the read lock while
  // it touches the store, so close() never frees RocksDB handles under a running read (which
  // would crash the JVM in native code rather than throw).
  private final ReentrantReadWriteLock viewLock = new ReentrantReadWriteLock();

  private final KeptRows peerRegistry;

  private Projections(ProjectionConfig config, ProjectionStore store, boolean readOnly) {
    this.config = config;
    this.store = store;
    this.peerRegistry =
        new KeptRows(
            store,
            Column.PEER_REGISTRY,
            action ->
                read(
                    () -> {
                      action.run();
                      return null;
                    }),
            readOnly);
    ProjectionWriter w = null;
    try {
      if (readOnly) {
        counters.set(ProjectionCounter.APPLIED_INDEX, store.appliedIndex());
        counters.set(ProjectionCounter.APPLIED_SEQUENCE, store.appliedSequence());
      } else {
        w = new ProjectionWriter(store, counters);
      }
    } catch (RuntimeException e) {
      store.close();
      throw new ProjectionException(Reason.CORRUPT, store.directory(), "unreadable rows", e);
    }
    this.writer = w;
  }

  /**
   * Opens the projections in {@code directory}, creating an empty store when it is missing or
   * empty. Does not catch up: call {@link #catchUp(JournalReader)} next.
   *
   * @throws ProjectionException VERSION_UNSUPPORTED if a newer meshlog wrote the directory; CORRUPT
   *     if it is not a readable projection store (see {@link #openOrRebuild}); STORAGE on other
   *     RocksDB failures, such as another process holding the directory
   * @throws IllegalArgumentException if the config is invalid (naming the key)
   */
  public static Projections open(Path directory, ProjectionConfig config) {
    return new Projections(config, ProjectionStore.open(directory, config.validate()), false);
  }

  /**
   * Opens a read-only view of the projections in {@code directory} as committed now. It takes no
   * lock, so tools may read the projections of a running node. Applying events to it throws {@link
   * IllegalStateException}.
   *
   * @throws ProjectionException CORRUPT when there are no readable projections (nothing is
   *     rebuilt), VERSION_UNSUPPORTED, or STORAGE
   */
  public static Projections openReadOnly(Path directory) {
    ProjectionConfig config = ProjectionConfig.defaults();
    return new Projections(config, ProjectionStore.open(directory, config, true), true);
  }

  /**
   * Opens the projections and catches them up with {@code journal}. A missing directory is created,
   * a corrupt or outdated one deleted and rebuilt from the journal; neither is an error. A
   * directory written by a newer meshlog is left alone and refused.
   *
   * @throws ProjectionException VERSION_UNSUPPORTED or STORAGE, as {@link #open}
   */
  public static Projections openOrRebuild(
      Path directory, ProjectionConfig config, JournalReader journal) {
    Projections projections = openOrReset(directory, config);
    try {
      projections.catchUp(journal);
    } catch (RuntimeException e) {
      projections.close();
      throw e;
    }
    return projections;
  }

  /**
   * As {@link #openOrRebuild} without the catch-up: a corrupt or outdated directory is replaced by
   * an empty store (applied index -1), which the caller then catches up from the journal.
   */
  public static Projections openOrReset(Path directory, ProjectionConfig config) {
    try {
      return open(directory, config);
    } catch (ProjectionException e) {
      if (e.reason() != Reason.CORRUPT) {
        throw e;
      }
      LOG.warn("Rebuilding projections from the journal: {}", e.getMessage());
      Directories.deleteRecursively(directory);
      return open(directory, config);
    }
  }

  /**
   * Rebuilds {@code directory} from the whole journal: builds into a scratch sibling directory and
   * swaps it in only once complete. The directory must not be open. The rows of kept columns (the
   * peer registry, {@link KeptRows}) are carried over from the old store unchanged when it can be
   * opened; a store that cannot is rebuilt without them (a warning is logged).
   *
   * @return the applied index of the rebuilt projections, -1 for an empty journal
   * @throws ProjectionException STORAGE when another process holds the directory
   */
  public static long rebuild(Path directory, ProjectionConfig config, JournalReader journal) {
    Path scratchDir = Directories.sibling(directory, "rebuild");
    Directories.deleteRecursively(scratchDir);
    long applied;
    try (Projections old = openUnlessHeld(directory, config);
        Projections fresh = open(scratchDir, config)) {
      if (old != null) {
        old.peerRegistry.copyTo(fresh.store);
      }
      fresh.catchUp(journal);
      applied = fresh.appliedIndex();
    }
    Directories.swap(scratchDir, directory);
    return applied;
  }

  /**
   * The store in {@code directory}, or null when there is none or it cannot be opened (it is
   * replaced whole); fails when a running node holds it.
   */
  private static Projections openUnlessHeld(Path directory, ProjectionConfig config) {
    if (!java.nio.file.Files.exists(directory)) {
      return null;
    }
    try {
      return open(directory, config);
    } catch (ProjectionException e) {
      if (e.reason() == Reason.STORAGE) {
        throw e;
      }
      LOG.warn("Rebuilding projections without the old store's kept rows: {}", e.getMessage());
      return null;
    }
  }

  /**
   * Rebuilds the projections of the directory from the journal into a scratch directory, up to
   * their applied index, and compares every view. The directory is opened read-only, so it may
   * belong to a running node; the comparison is with what it had committed at the start.
   */
  public static VerifyReport verify(
      Path directory, ProjectionConfig config, JournalReader journal) {
    try (Projections live = openReadOnly(directory)) {
      return live.verify(journal);
    }
  }

  /**
   * Compares these projections, as committed now, with a rebuild of the journal up to the same
   * index made in a scratch directory next to this one. Call it on the writer's thread or while the
   * writer is idle, so the applied index does not move.
   */
  public VerifyReport verify(JournalReader journal) {
    Path scratchDir = Directories.sibling(store.directory(), "verify");
    Directories.deleteRecursively(scratchDir);
    long index = appliedIndex();
    try (Projections rebuilt = open(scratchDir, config)) {
      rebuilt.catchUp(journal, index);
      String diff = StoreComparison.firstDifference(store, rebuilt.store);
      return new VerifyReport(index, diff);
    } finally {
      Directories.deleteRecursively(scratchDir);
    }
  }

  @Override
  public void onJournaled(Event event, long journalIndex, boolean endOfBatch) {
    writer().apply(event, journalIndex, endOfBatch);
  }

  @Override
  public void onBatchEnd() {
    writer().commit();
  }

  /**
   * Applies every journal event after the checkpoint, committing every {@code
   * projections.catchUpBatchEvents} events and at the end.
   *
   * @return the number of events read
   */
  public long catchUp(JournalReader journal) {
    return catchUp(journal, Long.MAX_VALUE);
  }

  /** As {@link #catchUp(JournalReader)}, stopping after the event at {@code upToIndex}. */
  public long catchUp(JournalReader journal, long upToIndex) {
    ProjectionWriter writer = writer();
    long from = writer.lastIndex();
    if (from < 0) {
      journal.toStart();
    } else {
      journal.toAfter(from);
    }
    long read = 0;
    int inBatch = 0;
    long index;
    while ((index = journal.next(scratch.clear())) >= 0) {
      if (index > upToIndex) {
        break;
      }
      read++;
      boolean end = ++inBatch == config.catchUpBatchEvents();
      writer.apply(scratch, index, end);
      if (end) {
        inBatch = 0;
      }
      if (index == upToIndex) {
        break;
      }
    }
    writer.commit();
    return read;
  }

  /**
   * The peer registry's rows: state the node keeps with its own checkpoint, which a rebuild carries
   * over and {@link #verify} leaves alone ({@link KeptRows}). Writable unless opened read-only.
   */
  public KeptRows peerRegistry() {
    return peerRegistry;
  }

  /** The journal index of the last committed event (the checkpoint), -1 if none. */
  public long appliedIndex() {
    return counters.get(ProjectionCounter.APPLIED_INDEX);
  }

  /**
   * The node sequence of the last committed event, -1 if none: the journal's node sequence minus
   * this is the lag in events.
   */
  public long appliedSequence() {
    return counters.get(ProjectionCounter.APPLIED_SEQUENCE);
  }

  /** False once a commit failed; reopen the projections to resume from the checkpoint. */
  public boolean healthy() {
    return writer == null || !writer.failed();
  }

  /** Runs a read of the store under the view lock; throws once the projections are closed. */
  private <T> T read(Supplier<T> view) {
    viewLock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("projections closed: " + store.directory());
      }
      return view.get();
    } finally {
      viewLock.readLock().unlock();
    }
  }

  private ProjectionWriter writer() {
    if (writer == null) {
      throw new IllegalStateException("projections opened read-only: " + store.directory());
    }
    return writer;
  }

  /** The current value of a counter; thread-safe. */
  public long counter(ProjectionCounter counter) {
    return counters.get(counter);
  }

  /** The directory holding the store. */
  public Path directory() {
    return store.directory();
  }

  /** Every peer, ordered by binary peer id. */
  public List<PeerStats> peers() {
    return scanAll(Column.PEER_STATS, (k, v) -> PeerRow.decode(k, v).toStats());
  }

  /** Every row of {@code column} in key order, each turned into a value by {@code row}. */
  private <T> List<T> scanAll(Column column, BiFunction<byte[], byte[], T> row) {
    return read(
        () -> {
          List<T> out = new ArrayList<>();
          try (ProjectionStore.Cursor c = store.cursor(column, null)) {
            for (; c.valid(); c.next()) {
              out.add(row.apply(c.key(), c.value()));
            }
          }
          return out;
        });
  }

  /** One peer by binary id. */
  public Optional<PeerStats> peer(byte[] peerId) {
    byte[] v = read(() -> store.get(Column.PEER_STATS, peerId));
    return v == null ? Optional.empty() : Optional.of(PeerRow.decode(peerId.clone(), v).toStats());
  }

  /** Every topic, ordered by UTF-8 name. */
  public List<TopicStats> topics() {
    return scanAll(Column.TOPIC_STATS, TopicRow::decodeStats);
  }

  /**
   * The name of every topic, ordered by UTF-8 name: {@link #topics()} without reading the rows, for
   * a console that lists topics at every sample.
   */
  public List<String> topicNames() {
    return scanAll(Column.TOPIC_STATS, (k, v) -> new String(k, StandardCharsets.UTF_8));
  }

  /** One topic by name. */
  public Optional<TopicStats> topic(String topic) {
    byte[] key = topic.getBytes(StandardCharsets.UTF_8);
    byte[] v = read(() -> store.get(Column.TOPIC_STATS, key));
    return v == null ? Optional.empty() : Optional.of(TopicRow.decodeStats(key, v));
  }

  /** The ordering index of a topic in Lamport order; close the cursor before the projections. */
  public OrderingCursor orderingIndex(String topic) {
    return read(() -> new OrderingCursor(store, topic));
  }

  /**
   * The final order of a topic from seq {@code fromSeq} on, in seq order, as the journal's
   * SEQUENCE_ASSIGNED records gave it (schema 3; docs/reconciliation.md).
   */
  public List<FinalEntry> finalOrder(String topic, long fromSeq, int limit) {
    return read(
        () -> {
          byte[] prefix = OrderingKey.prefix(topic);
          byte[] from =
              ByteBuffer.allocate(prefix.length + 8)
                  .put(prefix)
                  .putLong(Math.max(0, fromSeq) ^ Long.MIN_VALUE)
                  .array();
          List<FinalEntry> out = new java.util.ArrayList<>();
          try (ProjectionStore.Cursor c = store.cursor(Column.FINAL_ORDER, from)) {
            for (;
                c.valid() && out.size() < limit && OrderingKey.hasPrefix(c.key(), prefix);
                c.next()) {
              ByteBuffer k = ByteBuffer.wrap(c.key(), prefix.length, 8);
              ByteBuffer v = ByteBuffer.wrap(c.value());
              long epoch = v.getLong();
              byte[] id = new byte[v.remaining()];
              v.get(id);
              out.add(new FinalEntry(topic, epoch, k.getLong() ^ Long.MIN_VALUE, id));
            }
          }
          return out;
        });
  }

  /** The last row of a topic's final order (its highest seq), if the journal holds one. */
  public Optional<FinalEntry> lastFinal(String topic) {
    return read(
        () -> {
          byte[] prefix = OrderingKey.prefix(topic);
          byte[] last = ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(-1L).array();
          byte[][] kv = store.lastAtOrBefore(Column.FINAL_ORDER, last);
          if (kv == null || kv[0].length != last.length || !OrderingKey.hasPrefix(kv[0], prefix)) {
            return Optional.<FinalEntry>empty();
          }
          ByteBuffer k = ByteBuffer.wrap(kv[0], prefix.length, 8);
          ByteBuffer v = ByteBuffer.wrap(kv[1]);
          long epoch = v.getLong();
          byte[] id = new byte[v.remaining()];
          v.get(id);
          return Optional.of(new FinalEntry(topic, epoch, k.getLong() ^ Long.MIN_VALUE, id));
        });
  }

  /** The final position of a message as (epoch, seq), if the journal holds one. */
  public Optional<long[]> finalPosition(byte[] messageId) {
    byte[] v = read(() -> store.get(Column.FINAL_IDS, messageId));
    if (v == null) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return Optional.of(new long[] {b.getLong(), b.getLong()});
  }

  /** The journal index of the PUBLISH or DELIVER record of a message id, if indexed. */
  public OptionalLong messageIndex(byte[] messageId) {
    byte[] v = read(() -> store.get(Column.MESSAGE_IDS, messageId));
    return v == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(v).getLong());
  }

  /** The journal index of the MESSAGE_SIGNATURE record of a message id, if indexed. */
  public OptionalLong signatureIndex(byte[] messageId) {
    byte[] v = read(() -> store.get(Column.SIGNATURES, messageId));
    return v == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(v).getLong());
  }

  /**
   * The highest envelope sequence of {@code origin} in {@code topic} that this node journaled (as
   * published or delivered), or -1 when none.
   */
  public long lastOriginSequence(String topic, byte[] origin) {
    return read(
        () -> {
          byte[] last = OriginSeqKey.key(topic, origin, Long.MAX_VALUE);
          byte[][] kv = store.lastAtOrBefore(Column.ORIGIN_SEQS, last);
          byte[] prefix = Arrays.copyOf(last, last.length - 8);
          return kv != null && kv[0].length == last.length && OrderingKey.hasPrefix(kv[0], prefix)
              ? OriginSeqKey.sequence(kv[0])
              : -1L;
        });
  }

  /**
   * The messages of {@code origin} in {@code topic} with envelope sequence in {@code [from, to]},
   * in sequence order, at most {@code max}: pairs {sequence, journal index} of their PUBLISH or
   * DELIVER records.
   */
  public List<long[]> originRange(String topic, byte[] origin, long from, long to, int max) {
    return read(
        () -> {
          List<long[]> out = new ArrayList<>();
          byte[] start = OriginSeqKey.key(topic, origin, Math.max(0, from));
          byte[] prefix = Arrays.copyOf(start, start.length - 8);
          try (ProjectionStore.Cursor c = store.cursor(Column.ORIGIN_SEQS, start)) {
            for (; c.valid() && out.size() < max; c.next()) {
              byte[] k = c.key();
              if (k.length != start.length || !OrderingKey.hasPrefix(k, prefix)) {
                break;
              }
              long seq = OriginSeqKey.sequence(k);
              if (seq > to) {
                break;
              }
              out.add(new long[] {seq, ByteBuffer.wrap(c.value()).getLong()});
            }
          }
          return out;
        });
  }

  /**
   * Every origin with envelope messages in {@code topic} and the highest sequence journaled for it,
   * at most {@code max} origins, in origin byte order. One seek per origin.
   */
  public Map<byte[], Long> originHeads(String topic, int max) {
    return read(
        () -> {
          Map<byte[], Long> out = new LinkedHashMap<>();
          byte[] prefix = OriginSeqKey.topicPrefix(topic);
          byte[] from = prefix;
          while (out.size() < max) {
            byte[] origin;
            try (ProjectionStore.Cursor c = store.cursor(Column.ORIGIN_SEQS, from)) {
              if (!c.valid() || !OrderingKey.hasPrefix(c.key(), prefix)) {
                break;
              }
              origin = OriginSeqKey.origin(c.key(), prefix.length);
            }
            byte[] last = OriginSeqKey.key(topic, origin, Long.MAX_VALUE);
            byte[][] kv = store.lastAtOrBefore(Column.ORIGIN_SEQS, last);
            out.put(origin, OriginSeqKey.sequence(kv[0]));
            // sequences are never negative: the key after every one of this origin's
            from = OriginSeqKey.key(topic, origin, -1L);
          }
          return out;
        });
  }

  /**
   * Closes the store; idempotent. Pending (uncommitted) events are not committed: they are applied
   * again after reopening.
   */
  @Override
  public synchronized void close() {
    viewLock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        store.close();
      }
    } finally {
      viewLock.writeLock().unlock();
    }
  }
}
