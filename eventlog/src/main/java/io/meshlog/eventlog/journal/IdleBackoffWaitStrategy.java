package io.meshlog.eventlog.journal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The SLEEPING wait of the journal's consumers: park at once, without the spins and yields of
 * Disruptor's own sleeping strategy, and back off while idle. The first parks are the shortest the
 * kernel gives (~50-100 us), so a busy journal keeps its latency; after about 10 ms without an
 * event each park doubles, up to {@link #MAX_PARK_NANOS}. A consumer that parked at 50 us for ever
 * woke 10-20 thousand times a second: an idle node's five consumers used ~60 % of a core doing
 * nothing (docs/journal.md, "Wait strategy"). Backed off, they would wake a thousand times a second
 * each at 1 ms (still ~10 % of a core for the five) and two hundred times at 5 ms; the first event
 * after a quiet spell waits at most one long park per consumer stage.
 *
 * <p>The backoff lives in one {@link #waitFor} call (a consumer calls it once per batch), so the
 * strategy is shared by all consumers of a ring without shared state, except the park counter.
 */
final class IdleBackoffWaitStrategy implements WaitStrategy {
  /** Requested park of a consumer that just ran out of events; the timer slack makes it longer. */
  static final long FIRST_PARK_NANOS = 100;

  /**
   * Parks at the first length before backing off: about 10 ms at the kernel's ~60 us. A producer
   * stalled for less (descheduled on a loaded machine) finds its consumers still quick to wake;
   * after a longer gap the tail is already that long.
   */
  static final int SHORT_PARKS = 160;

  /** The longest park: the most the first event after a quiet spell can wait for its consumer. */
  static final long MAX_PARK_NANOS = 5_000_000;

  private final LongAdder parks = new LongAdder();

  @Override
  public long waitFor(
      long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
      throws AlertException {
    long available;
    int idleParks = 0;
    long park = FIRST_PARK_NANOS;
    while ((available = dependentSequence.get()) < sequence) {
      barrier.checkAlert();
      if (idleParks >= SHORT_PARKS && park < MAX_PARK_NANOS) {
        park = Math.min(MAX_PARK_NANOS, Math.max(park, 50_000) * 2);
      }
      LockSupport.parkNanos(park);
      idleParks++;
      parks.increment();
    }
    return available;
  }

  @Override
  public void signalAllWhenBlocking() {
    // Consumers park for a bounded time and look again: nothing to wake.
  }

  /** Parks taken so far by all consumers (each one a wake-up). */
  long parks() {
    return parks.sum();
  }
}
