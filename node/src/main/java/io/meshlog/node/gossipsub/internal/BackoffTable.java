package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.p2p.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The prune backoff of each (topic, peer): the time before which we must not graft that peer into
 * that topic's mesh, and before which its GRAFT to us is a protocol violation.
 *
 * <p>Invariants: an entry only ever moves later (a new backoff never shortens a running one, so a
 * peer cannot cut its own backoff short with a PRUNE of a smaller value); an entry is dropped once
 * it is past its end plus the slack, and a topic with no entries left is dropped with it, so the
 * table holds no more than the live backoffs. Time is passed in, never read.
 *
 * <p>Not thread-safe: owned by the router thread, like the {@link GossipRouter} that holds it.
 */
final class BackoffTable {
  private final Map<String, Map<PeerId, Long>> until = new HashMap<>();

  /** Backs {@code peer} off {@code topic} until {@code untilNanos}, or later if it already is. */
  void add(String topic, PeerId peer, long untilNanos) {
    until.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, untilNanos, Math::max);
  }

  /** When the backoff of {@code peer} in {@code topic} ends, or null when there is none. */
  Long until(String topic, PeerId peer) {
    Map<PeerId, Long> m = until.get(topic);
    return m == null ? null : m.get(peer);
  }

  /**
   * Whether {@code peer} is still backed off {@code topic} at {@code nowNanos}, counting {@code
   * slackNanos} past the end (the peer's clock of the same backoff may have started a little later
   * than ours).
   */
  boolean blocks(String topic, PeerId peer, long nowNanos, long slackNanos) {
    Long end = until(topic, peer);
    return end != null && end + slackNanos > nowNanos;
  }

  /** Drops every backoff that ended (with its slack) at or before {@code nowNanos}. */
  void expire(long nowNanos, long slackNanos) {
    for (Iterator<Map<PeerId, Long>> it = until.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> m = it.next();
      m.values().removeIf(end -> end + slackNanos <= nowNanos);
      if (m.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Number of (topic, peer) entries held. */
  int size() {
    int n = 0;
    for (Map<PeerId, Long> m : until.values()) {
      n += m.size();
    }
    return n;
  }

  /** Number of topics with at least one entry. */
  int topics() {
    return until.size();
  }
}
