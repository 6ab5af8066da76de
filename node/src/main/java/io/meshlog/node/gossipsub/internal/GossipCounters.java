package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.GossipCounter;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Values of the {@link GossipCounter}s. Written by the router thread only (plain increments
 * published with lazySet, no read-modify-write contention); readable from any thread.
 */
public final class GossipCounters {
  private final AtomicLongArray values = new AtomicLongArray(GossipCounter.values().length);

  public void increment(GossipCounter c) {
    add(c, 1);
  }

  public void add(GossipCounter c, long delta) {
    int i = c.ordinal();
    values.lazySet(i, values.get(i) + delta);
  }

  /** Used from threads other than the router's (queue-full counting). */
  public void incrementConcurrently(GossipCounter c) {
    values.incrementAndGet(c.ordinal());
  }

  public long get(GossipCounter c) {
    return values.get(c.ordinal());
  }
}
