package io.meshlog.jmx.internal;

import io.meshlog.jmx.JmxCounter;
import java.util.concurrent.atomic.AtomicLongArray;

/** Values of the {@link JmxCounter}s. Thread-safe. */
public final class Counters {

  private final AtomicLongArray values = new AtomicLongArray(JmxCounter.values().length);

  public void increment(JmxCounter counter) {
    values.incrementAndGet(counter.ordinal());
  }

  public long get(JmxCounter counter) {
    return values.get(counter.ordinal());
  }
}
