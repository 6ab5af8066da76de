package io.meshlog.eventlog.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition, the one way meshlog's tests wait: poll with a growing pause (1 ms up to 50
 * ms) until the condition holds or the limit passes, then fail naming what was awaited. No test
 * sleeps in place of waiting for a condition.
 *
 * <p>The default limit is {@link #DEFAULT_LIMIT}; the system property {@code
 * meshlog.test.timeScale} (a number, default 1) multiplies every limit on a slow machine.
 */
public final class Await {
  /** How long a condition may take unless a test says otherwise. */
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

  private Await() {}

  /** Waits up to the default limit for {@code condition}. */
  public static void until(String what, Callable<Boolean> condition) {
    until(what, DEFAULT_LIMIT, condition);
  }

  /**
   * Waits up to {@code limit} (scaled) for {@code condition}; an exception the condition throws
   * fails at once.
   *
   * @throws AssertionError naming {@code what} when the limit passes or the thread is interrupted
   */
  public static void until(String what, Duration limit, Callable<Boolean> condition) {
    long scaled = (long) (limit.toNanos() * scale());
    long deadline = System.nanoTime() + scaled;
    long pause = 1_000_000L;
    while (true) {
      boolean met;
      try {
        met = Boolean.TRUE.equals(condition.call());
      } catch (Exception e) {
        throw new AssertionError("while waiting for " + what + ": " + e, e);
      }
      if (met) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(what + ": not within " + Duration.ofNanos(scaled));
      }
      LockSupport.parkNanos(Math.min(left, pause));
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted while waiting for " + what);
      }
      pause = Math.min(pause * 2, 50_000_000L);
    }
  }

  private static double scale() {
    String value = System.getProperty("meshlog.test.timeScale", "1");
    try {
      double scale = Double.parseDouble(value);
      if (scale > 0) {
        return scale;
      }
    } catch (NumberFormatException ignored) {
      // Falls through to the error below, which names the property.
    }
    throw new IllegalArgumentException(
        "meshlog.test.timeScale must be a positive number: " + value);
  }
}
