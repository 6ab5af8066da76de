package io.meshlog.export.kafka;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportCounter;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper's lag gauges ({@link ExportCounter#LAG_EVENTS}, {@link ExportCounter#LAG_SECONDS}),
 * refreshed every 250 ms by a thread of their own, {@code meshlog-export-kafka-lag}, with a journal
 * reader of their own: the shipper thread can be blocked for seconds in the Kafka client (waiting
 * for metadata from a broker that is down, flushing, backing off), and that is exactly when an
 * operator needs to see the lag grow.
 *
 * <pre>
 *   shipper thread:  base(seq, time) of the first record it read; sent(index, seq, time) per chunk
 *   lag thread:      the same base from its own reader, when the shipper has read nothing yet
 *   producer thread: acked(index)
 *   lag thread:      journal's last event  -  newest sent mark at or before the acked index
 * </pre>
 *
 * <p>Thread-safe as drawn above.
 */
final class ShipperLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShipperLag.class);
  private static final long EVERY_NANOS = 250_000_000L;

  private final JournalCopy.Source journal;
  private final CounterSet<ExportCounter> counters;
  private final Event last = new Event();
  private final Event first = new Event();
  private final EventCodec codec = new EventCodec(64);
  private final long position;
  private final ArrayDeque<long[]> marks = new ArrayDeque<>(); // guarded by this
  private volatile long acked;
  private volatile boolean running;
  private volatile boolean closed;
  private boolean known; // guarded by this: shippedSequence/shippedTime hold a real event's
  private long shippedSequence;
  private long shippedTime;
  private Thread thread;

  /**
   * @param journal a reader of its own on the shipped journal, closed with this
   * @param acked the journal index Kafka acknowledged last (the position); -1 if none
   */
  ShipperLag(JournalCopy.Source journal, CounterSet<ExportCounter> counters, long acked) {
    this.journal = journal;
    this.counters = counters;
    this.acked = acked;
    this.position = acked;
  }

  /**
   * The record after the acknowledged index, once: what is shipped ends just before it. Until a
   * mark is acknowledged the lag counts from there.
   */
  synchronized void base(long sequence, long timeNanos) {
    if (!known) {
      shippedSequence = sequence - 1;
      shippedTime = timeNanos;
      known = true;
    }
  }

  /** Whether {@link #base} has been given (or a mark acknowledged). */
  synchronized boolean hasBase() {
    return known;
  }

  /** The last record of a chunk that was handed to the producer (shipper thread). */
  synchronized void sent(long index, long sequence, long timeNanos) {
    marks.addLast(new long[] {index, sequence, timeNanos});
  }

  /** Kafka acknowledged every record up to {@code index} (producer thread). */
  void acked(long index) {
    if (index > acked) {
      acked = index;
    }
  }

  /** The shipper resends after {@code index}: marks after it are sent again. */
  synchronized void rewind(long index) {
    while (!marks.isEmpty() && marks.peekLast()[0] > index) {
      marks.removeLast();
    }
  }

  /** Starts the refreshing thread (again after {@link #stop}). */
  synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "meshlog-export-kafka-lag");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the refreshing thread, then refreshes once more on the caller's. */
  void stop() {
    Thread t;
    synchronized (this) {
      t = thread;
      thread = null;
      running = false;
    }
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    refreshQuietly();
  }

  private void refreshQuietly() {
    if (closed) {
      return;
    }
    try {
      refresh();
    } catch (RuntimeException e) {
      // A journal read failed (a cycle file deleted under the reader): the next round retries.
      LOG.debug("refreshing the Kafka shipper's lag failed: {}", e.toString());
    }
  }

  private void loop() {
    while (running) {
      refreshQuietly();
      LockSupport.parkNanos(EVERY_NANOS);
    }
  }

  /**
   * Sets both gauges from the journal's last event and the acknowledged index. Called by the lag
   * thread, and by {@link #stop} once that thread ended: {@link #journal} has one user at a time.
   */
  void refresh() {
    long ackedNow = acked;
    if (!hasBase()) {
      // The shipper has read nothing yet (its producer cannot reach a broker): find the first
      // record after the position with this reader, so that the lag counts from there.
      journal.toAfter(position);
      if (journal.next() >= 0
          && codec.decode(journal.buffer(), 0, journal.length(), first.clear())) {
        base(first.sequence(), first.timeNanos());
      }
    }
    // Read before taking the lock: the shipper thread's sent() never waits on the journal.
    long lastIndex = journal.readLast(last.clear());
    long events = 0;
    long millis = 0;
    synchronized (this) {
      while (!marks.isEmpty() && marks.peekFirst()[0] <= ackedNow) {
        long[] m = marks.removeFirst();
        shippedSequence = m[1];
        shippedTime = m[2];
        known = true;
      }
      // Else nothing journaled, everything acknowledged, or nothing read after the position yet.
      if (lastIndex >= 0 && lastIndex > ackedNow && known) {
        events = Math.max(1, last.sequence() - shippedSequence);
        millis = Math.max(0, (last.timeNanos() - shippedTime) / 1_000_000L);
      }
    }
    counters.set(ExportCounter.LAG_EVENTS, events);
    counters.set(ExportCounter.LAG_SECONDS, millis);
  }

  /** Stops the thread and closes the journal reader; a later {@link #stop} refreshes nothing. */
  @Override
  public void close() {
    stop();
    closed = true;
    journal.close();
  }
}
