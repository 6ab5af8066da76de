package io.meshlog.node.discovery;

import io.meshlog.node.p2p.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per peer for DISCOVER requests: {@code burst} at once, refilled at {@code rate}
 * per second. Buckets that are full again are forgotten on {@link #sweep}, so memory follows the
 * peers that asked recently, not every peer ever seen. Time is passed in.
 *
 * <p>Not thread-safe: its owner serializes access.
 */
final class DiscoverRateLimit {

  private static final class Bucket {
    double tokens;
    long atNanos;
    long refusedSinceJournaled;
    long journaledAtNanos = Long.MIN_VALUE / 2; // "long ago", without overflow on subtraction
  }

  private final double ratePerNano;
  private final int burst;
  private final Map<PeerId, Bucket> buckets = new HashMap<>();

  DiscoverRateLimit(double ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one token for {@code peer}; false when its bucket is empty. */
  boolean tryAcquire(PeerId peer, long nowNanos) {
    Bucket b =
        buckets.computeIfAbsent(
            peer,
            p -> {
              Bucket n = new Bucket();
              n.tokens = burst;
              n.atNanos = nowNanos;
              return n;
            });
    b.tokens = Math.min(burst, b.tokens + (nowNanos - b.atNanos) * ratePerNano);
    b.atNanos = nowNanos;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    b.refusedSinceJournaled++;
    return false;
  }

  /**
   * Whether a refusal of {@code peer} should be journaled now (at most one record per second per
   * peer, so a flood cannot flood the journal); returns the refusals it stands for, or 0.
   */
  long journalRefusal(PeerId peer, long nowNanos) {
    Bucket b = buckets.get(peer);
    if (b == null || nowNanos - b.journaledAtNanos < 1_000_000_000L) {
      return 0;
    }
    long n = b.refusedSinceJournaled;
    b.refusedSinceJournaled = 0;
    b.journaledAtNanos = nowNanos;
    return n;
  }

  /** Forgets buckets that have refilled. */
  void sweep(long nowNanos) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.tokens + (nowNanos - b.atNanos) * ratePerNano >= burst
          && nowNanos - b.journaledAtNanos >= 1_000_000_000L) {
        it.remove();
      }
    }
  }

  int tracked() {
    return buckets.size();
  }
}
