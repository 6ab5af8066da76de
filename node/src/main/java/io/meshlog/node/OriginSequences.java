package io.meshlog.node;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * This node's envelope sequence per topic: 0, 1, 2, ... for each topic it publishes in, without a
 * gap or a repeat across restarts, so that a receiver can tell a missing message from sequence
 * arithmetic alone (docs/sync.md). A topic's counter resumes after the highest sequence this node's
 * journal holds for it as origin, read through the origin sequence index when the topic is first
 * published to in this run — the projections were caught up with the journal at start, and every
 * later publish of the topic goes through this counter.
 *
 * <p>Thread-safe.
 */
final class OriginSequences {
  private final ToLongFunction<String> lastJournaled;
  private final ConcurrentHashMap<String, AtomicLong> next = new ConcurrentHashMap<>();

  /**
   * @param lastJournaled the highest sequence this node published in a topic, -1 when none
   */
  OriginSequences(ToLongFunction<String> lastJournaled) {
    this.lastJournaled = lastJournaled;
  }

  /** The sequence of the next envelope this node publishes in {@code topic}. */
  long next(String topic) {
    return next.computeIfAbsent(topic, t -> new AtomicLong(lastJournaled.applyAsLong(t) + 1))
        .getAndIncrement();
  }
}
