package io.meshlog.eventlog.journal;

import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per interval, with how many were suppressed since: a
 * handler failing on every event must not flood the log or slow the pipeline with logging.
 * Thread-safe; races may let an extra line through, never lose the count.
 */
final class ThrottledLog {
  private final Logger log;
  private final long intervalNanos;
  private volatile long nextAllowedNanos = Long.MIN_VALUE;
  private final java.util.concurrent.atomic.AtomicLong suppressed =
      new java.util.concurrent.atomic.AtomicLong();

  ThrottledLog(Logger log, long intervalNanos) {
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  void error(String message, Throwable t) {
    long now = System.nanoTime();
    if (nextAllowedNanos != Long.MIN_VALUE && now - nextAllowedNanos < 0) {
      suppressed.incrementAndGet();
      return;
    }
    nextAllowedNanos = now + intervalNanos;
    long skipped = suppressed.getAndSet(0);
    if (skipped > 0) {
      log.error("{} ({} similar errors suppressed)", message, skipped, t);
    } else {
      log.error(message, t);
    }
  }
}
