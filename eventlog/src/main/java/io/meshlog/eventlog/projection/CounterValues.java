package io.meshlog.eventlog.projection;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Current values of the {@link ProjectionCounter}s: written by the projection writer once per
 * batch, read by any thread.
 */
final class CounterValues {

  private final AtomicLongArray values = new AtomicLongArray(ProjectionCounter.values().length);

  long get(ProjectionCounter counter) {
    return values.get(counter.ordinal());
  }

  void set(ProjectionCounter counter, long value) {
    values.setRelease(counter.ordinal(), value);
  }

  void add(ProjectionCounter counter, long delta) {
    values.getAndAdd(counter.ordinal(), delta);
  }
}
