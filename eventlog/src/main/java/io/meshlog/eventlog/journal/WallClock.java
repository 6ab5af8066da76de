package io.meshlog.eventlog.journal;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds without allocating per call: the monotonic clock plus an offset
 * taken from {@link Instant#now()}, re-taken once a second so the journal follows clock adjustments
 * within about a second. Thread-safe.
 */
final class WallClock {
  private static final long RECALIBRATE_NANOS = 1_000_000_000L;

  private static volatile long offset = calibrate();
  private static volatile long calibratedAt = System.nanoTime();

  private WallClock() {}

  static long nowNanos() {
    long mono = System.nanoTime();
    if (mono - calibratedAt > RECALIBRATE_NANOS) {
      calibratedAt = mono;
      offset = calibrate();
    }
    return mono + offset;
  }

  private static long calibrate() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }
}
