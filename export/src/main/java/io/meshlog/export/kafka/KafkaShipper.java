package io.meshlog.export.kafka;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.ExportException;
import io.meshlog.export.ExportRecord;
import io.meshlog.export.ShipperLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one node's journal to a Kafka topic, reading behind the writer: every record, in journal
 * order, keyed by the node's peer id. The position (the last journal index whose transaction Kafka
 * committed) is written to the data directory's retention hold {@value #HOLD} only after the
 * commit, so a restart resumes after it and retention keeps what is not shipped yet.
 *
 * <pre>
 *   journal ─JournalCopy.Source─► shipper thread ─send─► producer (transactional, acks=all)
 *                                      │  every 100 ms or when caught up: commitTransaction
 *                                      └─► committed index ─► retention-holds/kafka.hold
 *   journal ─own reader─► lag thread (every 250 ms): last event − last committed ─► gauges
 * </pre>
 *
 * <p>The lag gauges have their own thread ({@link ShipperLag}) because the shipper thread can wait
 * for seconds inside the Kafka client while a broker is down, which is when the lag matters.
 *
 * <p>A failed send or commit (broker down or slow past the client's timeouts) closes the producer;
 * after a backoff (100 ms doubling to 10 s) a new one, with the same transactional id, fences the
 * old one and resends from the position. What the old one had not committed is aborted, invisible
 * to {@code read_committed} readers. A record can still be in the topic twice, in order, when a
 * commit succeeded but the shipper did not learn it or crashed before writing the position; each
 * carries (node, journal index), by which readers drop the second copy (replay does).
 *
 * <p>{@link #run} owns the calling thread; {@link #stop} may be called from any thread; the
 * counters are read from any thread.
 */
public final class KafkaShipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaShipper.class);

  /** The retention hold that is the shipper's position. */
  public static final String HOLD = "kafka";

  private static final int CHUNK = 4096;
  private static final long COMMIT_EVERY_NANOS = 100_000_000L;
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Path journalDir;
  private final ExportConfig config;
  private final CounterSet<ExportCounter> counters;
  private final ShipperLock lock;
  private final JournalCopy.Source source;
  private final JournalConfig.RollCycle rollCycle;
  private final byte[] node;
  private final byte[] key;
  private final ExportRecord.Json json = new ExportRecord.Json();
  private final EventCodec codec = new EventCodec(64);
  private final Event scratch = new Event();
  private final ShipperLag lag;
  private volatile boolean stopped;
  private volatile boolean finishing;
  private long committed;

  private KafkaShipper(
      Path journalDir,
      ExportConfig config,
      CounterSet<ExportCounter> counters,
      ShipperLock lock,
      JournalCopy.Source source,
      ShipperLag lag,
      byte[] node) {
    this.journalDir = journalDir;
    this.config = config;
    this.counters = counters;
    this.lock = lock;
    this.source = source;
    this.lag = lag;
    this.rollCycle = source.rollCycle();
    this.node = node;
    this.key = ExportRecord.key(node);
  }

  /**
   * Takes the data directory's shipper lock, reads the position, opens the journal.
   *
   * @param node the node's peer id; null: the peer of the journal's first NODE_STARTED or
   *     JOURNAL_CYCLE
   * @throws ExportException when another shipper holds the lock, or the journal does not say whose
   *     it is
   * @throws io.meshlog.eventlog.JournalException when the journal cannot be read
   */
  public static KafkaShipper open(
      Path dataDir, ExportConfig config, byte[] node, CounterSet<ExportCounter> counters) {
    Path journalDir = EventLog.journalDir(dataDir);
    ShipperLock lock = ShipperLock.take(dataDir);
    JournalCopy.Source source = null;
    JournalCopy.Source lagSource = null;
    try {
      long position = RetentionHold.lastIndex(journalDir, HOLD);
      if (position < 0) {
        // From now on retention keeps everything until the first acknowledgement.
        RetentionHold.write(journalDir, HOLD, -1, "");
      }
      source = Journals.openCopySource(journalDir);
      byte[] peer = node != null ? node.clone() : identify(source, dataDir);
      source.toAfter(position);
      lagSource = Journals.openCopySource(journalDir);
      ShipperLag lag = new ShipperLag(lagSource, counters, position);
      KafkaShipper s = new KafkaShipper(journalDir, config, counters, lock, source, lag, peer);
      s.committed = position;
      counters.set(ExportCounter.SHIPPED_INDEX, position);
      return s;
    } catch (RuntimeException e) {
      if (lagSource != null) {
        lagSource.close();
      }
      if (source != null) {
        source.close();
      }
      lock.close();
      throw e;
    }
  }

  private static byte[] identify(JournalCopy.Source source, Path dataDir) {
    EventCodec codec = new EventCodec(64);
    Event e = new Event();
    source.toAfter(-1);
    while (source.next() >= 0) {
      if (codec.decode(source.buffer(), 0, source.length(), e.clear())
          && (e.type() == EventType.NODE_STARTED || e.type() == EventType.JOURNAL_CYCLE)
          && e.peer() != null) {
        return e.peer().clone();
      }
    }
    throw new ExportException(
        dataDir,
        "the journal does not say whose it is (no NODE_STARTED or JOURNAL_CYCLE with a peer id)");
  }

  /** The node whose journal this shipper ships (base58). */
  public String node() {
    return Base58.encode(node);
  }

  /**
   * Ships until {@link #stop()} or, with {@code untilEnd}, until the journal has no further record
   * and every record sent is acknowledged. Returns after committing the position.
   *
   * @return records acknowledged in this run
   */
  public long run(boolean untilEnd) {
    long before = counters.get(ExportCounter.EVENTS_SHIPPED);
    lag.start();
    try {
      shipUntilStopped(untilEnd);
    } finally {
      lag.stop();
    }
    return counters.get(ExportCounter.EVENTS_SHIPPED) - before;
  }

  private void shipUntilStopped(boolean untilEnd) {
    long backoff = 100;
    while (!stopped) {
      AtomicReference<Exception> failure = new AtomicReference<>();
      AtomicLong acked = new AtomicLong(committed);
      long from = committed;
      Producer<byte[], byte[]> producer = null;
      try {
        producer =
            new KafkaProducer<>(
                KafkaClients.producer(
                    config.bootstrapServers(),
                    "meshlog-shipper-" + node(),
                    "meshlog-shipper-" + node() + "-" + config.topic(),
                    config.clientProperties()));
        producer.initTransactions(); // fences every earlier producer of this node and topic
        if (ship(producer, failure, acked, untilEnd)) {
          producer.close(Duration.ofSeconds(30));
          producer = null;
          commit(acked.get());
          break;
        }
      } catch (ExportException | io.meshlog.eventlog.JournalException e) {
        closeNow(producer);
        commit(acked.get());
        throw e;
      } catch (RuntimeException e) {
        Exception cause = failure.get() != null ? failure.get() : e;
        if (acked.get() > from) {
          backoff = 100; // this producer got through for a while: start the backoff over
        }
        counters.increment(ExportCounter.SEND_FAILURES);
        LOG.warn(
            "shipping {} to Kafka {} topic {} failed, retrying in {} ms from journal index {}: {}",
            journalDir,
            config.bootstrapServers(),
            config.topic(),
            backoff,
            acked.get(),
            cause.toString());
        closeNow(producer);
        commit(acked.get());
        lag.rewind(committed);
        source.toAfter(committed);
        pause(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /**
   * Sends until stopped (returns true after the last transaction committed) or, with {@code
   * untilEnd}, until the end; throws on the first failed send or commit.
   *
   * <p>Records go out in transactions of at most {@value #COMMIT_EVERY_NANOS} ns of reading; the
   * position is written after each commit. The transactional id is the node's and the topic's, so a
   * new producer (after a failure, or the next process after a crash) fences the one before it: a
   * request of the old one that reaches the broker late is refused, never written after records of
   * the new one, and its open transaction is aborted. Without that, a node's records could appear
   * out of journal order in the partition, which read-back dedup cannot repair.
   */
  private boolean ship(
      Producer<byte[], byte[]> producer,
      AtomicReference<Exception> failure,
      AtomicLong acked,
      boolean untilEnd) {
    long lastCommit = System.nanoTime();
    long idle = 1_000;
    long inTransaction = 0;
    long transactionBytes = 0;
    long transactionLast = -1;
    while (true) {
      throwIfFailed(failure);
      int n = 0;
      long index = -1;
      long last = -1;
      while (n < CHUNK && (index = source.next()) >= 0) {
        if (n == 0 && !lag.hasBase()) {
          base();
        }
        if (inTransaction == 0) {
          producer.beginTransaction();
        }
        byte[] value =
            config.format() == ExportConfig.Format.JSON
                ? json.value(node, index, rollCycle, source.buffer(), 0, source.length())
                : ExportRecord.binary(node, index, rollCycle, source.buffer(), 0, source.length());
        producer.send(
            new ProducerRecord<>(config.topic(), key, value),
            (meta, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        inTransaction++;
        transactionBytes += value.length;
        transactionLast = index;
        last = index;
        n++;
      }
      if (n > 0) {
        mark(last);
      }
      long now = System.nanoTime();
      boolean end = (n == 0 && (untilEnd || finishing)) || stopped;
      if (inTransaction > 0 && (end || n == 0 || now - lastCommit > COMMIT_EVERY_NANOS)) {
        producer.commitTransaction(); // flushes; throws when a send of it failed
        throwIfFailed(failure);
        acked.set(transactionLast);
        lag.acked(transactionLast);
        counters.add(ExportCounter.EVENTS_SHIPPED, inTransaction);
        counters.add(ExportCounter.BYTES_SHIPPED, transactionBytes);
        commit(transactionLast);
        inTransaction = 0;
        transactionBytes = 0;
        lastCommit = now;
      }
      if (end) {
        return true;
      }
      if (n == 0) {
        LockSupport.parkNanos(idle);
        idle = Math.min(idle * 2, 20_000_000);
      } else {
        idle = 1_000;
      }
    }
  }

  private static void throwIfFailed(AtomicReference<Exception> failure) {
    Exception e = failure.get();
    if (e != null) {
      throw new SendFailed(e);
    }
  }

  /**
   * A send Kafka did not acknowledge (broker down, topic not in metadata, timeout): {@link #run}
   * backs off and resends. Not an {@link ExportException}, which ends the shipper.
   */
  private static final class SendFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SendFailed(Exception cause) {
      super("a send failed: " + cause, cause);
    }
  }

  /** Hands the lag gauges sequence and time of the last record of a chunk. */
  private void mark(long index) {
    if (codec.decode(source.buffer(), 0, source.length(), scratch.clear())) {
      lag.sent(index, scratch.sequence(), scratch.timeNanos());
    }
  }

  /** Hands the lag gauges the first record read after the position: the lag counts from it. */
  private void base() {
    if (codec.decode(source.buffer(), 0, source.length(), scratch.clear())) {
      lag.base(scratch.sequence(), scratch.timeNanos());
    }
  }

  /** Writes the position (and retention hold) when Kafka acknowledged more since the last time. */
  private void commit(long acked) {
    if (acked > committed) {
      RetentionHold.write(journalDir, HOLD, acked, source.cycleFileName(acked));
      committed = acked;
      counters.set(ExportCounter.SHIPPED_INDEX, acked);
    }
  }

  private static void closeNow(Producer<byte[], byte[]> producer) {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing a failed producer: {}", e.toString());
      }
    }
  }

  private void pause(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!stopped && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Math.min(50_000_000L, deadline - System.nanoTime()));
    }
  }

  /**
   * Runs a shipper that follows the journal on its own thread, {@code meshlog-export-kafka}: what a
   * node does with {@code export.kafka.bootstrapServers} set. A failure that ends the shipper (a
   * damaged journal) is logged as an ERROR; the node goes on.
   *
   * @throws ExportException as {@link #open} does
   */
  public static Running start(
      Path dataDir, ExportConfig config, byte[] node, CounterSet<ExportCounter> counters) {
    awaitFirstCycleFile(EventLog.journalDir(dataDir));
    KafkaShipper s = open(dataDir, config, node, counters);
    Thread t =
        new Thread(
            () -> {
              try {
                s.run(false);
              } catch (Throwable e) {
                LOG.error("the Kafka shipper of {} stopped: {}", dataDir, e.toString(), e);
                if (e instanceof Error err) {
                  throw err;
                }
              }
            },
            "meshlog-export-kafka");
    t.setDaemon(true);
    t.start();
    return new Running(s, t);
  }

  /**
   * A new journal has no cycle file until its writer flushed the first record, which the node
   * published just before starting the shipper: wait for it (10 s at most), then let {@link #open}
   * report what it finds.
   */
  private static void awaitFirstCycleFile(Path journalDir) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(journalDir)) {
        if (files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
          return;
        }
      } catch (java.io.IOException e) {
        // Not there yet: the writer creates it.
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  /** A shipper on its own thread; {@link #close()} ships to the end (up to 10 s), then stops. */
  public static final class Running implements AutoCloseable {
    private final KafkaShipper shipper;
    private final Thread thread;

    private Running(KafkaShipper shipper, Thread thread) {
      this.shipper = shipper;
      this.thread = thread;
    }

    @Override
    public void close() {
      shipper.finishing = true;
      try {
        thread.join(10_000);
        shipper.stop();
        thread.join(60_000);
      } catch (InterruptedException e) {
        shipper.stop();
        Thread.currentThread().interrupt();
      } finally {
        shipper.close();
      }
    }

    @Override
    public String toString() {
      return "Kafka shipper of node " + shipper.node();
    }
  }

  /** Asks {@link #run} to flush, commit and return; any thread. */
  public void stop() {
    stopped = true;
  }

  /** The last committed position (journal index), -1 if none. */
  public long committedIndex() {
    return committed;
  }

  /** Releases the journal and the lock; call after {@link #run} returned. */
  @Override
  public void close() {
    stopped = true;
    try {
      lag.close();
      source.close();
    } finally {
      lock.close();
    }
  }
}
