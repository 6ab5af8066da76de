package io.meshlog.reconciliation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lamport clock: {@link #tick()} before sending, {@link #witness(long)} on receipt. Times start
 * after the value given at construction (e.g. the highest time found in the journal on restart), so
 * a restarted node never reuses a time it already sent.
 *
 * <p>Thread-safe and lock-free: publishers and the receiving thread may call it concurrently.
 */
public final class LamportClock {

  private final AtomicLong time;

  /** A clock at 0: the first tick returns 1. */
  public LamportClock() {
    this(0);
  }

  /**
   * A clock resuming at {@code start}: the first tick returns {@code start + 1}.
   *
   * @throws IllegalArgumentException when {@code start} is negative
   */
  public LamportClock(long start) {
    if (start < 0) {
      throw new IllegalArgumentException("Lamport time must be >= 0, was " + start);
    }
    this.time = new AtomicLong(start);
  }

  /** Advances the clock for a local event (a send) and returns the new time. */
  public long tick() {
    return time.incrementAndGet();
  }

  /**
   * Advances the clock past a received time: {@code max(local, remote) + 1}, returned. A negative
   * remote time (absent) counts as 0.
   */
  public long witness(long remote) {
    long r = Math.max(remote, 0);
    return time.accumulateAndGet(r, (local, rem) -> Math.max(local, rem) + 1);
  }

  /** The current time, without advancing. */
  public long current() {
    return time.get();
  }
}
