package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.TransportCounter;
import java.util.concurrent.atomic.AtomicLongArray;

/** The live values of {@link TransportCounter}; thread-safe, lock-free. */
public final class TransportCounters {
  private final AtomicLongArray values = new AtomicLongArray(TransportCounter.values().length);

  public void increment(TransportCounter counter) {
    values.incrementAndGet(counter.ordinal());
  }

  public void add(TransportCounter counter, long delta) {
    values.addAndGet(counter.ordinal(), delta);
  }

  public long get(TransportCounter counter) {
    return values.get(counter.ordinal());
  }
}
