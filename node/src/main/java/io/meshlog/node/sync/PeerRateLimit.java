package io.meshlog.node.sync;

import io.meshlog.node.p2p.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per peer: {@code burst} requests at once, refilled at {@code rate} per second;
 * buckets full again are forgotten when the table grows, so memory follows the peers that asked
 * recently. Time is passed in. Thread-safe (synchronized: one call per request).
 */
final class PeerRateLimit {
  private static final int SWEEP_AT = 1024;

  private static final class Bucket {
    double tokens;
    long atNanos;
  }

  private final double ratePerNano;
  private final int burst;
  private final Map<PeerId, Bucket> buckets = new HashMap<>();

  PeerRateLimit(double ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one token for {@code peer}; false when its bucket is empty. */
  synchronized boolean tryAcquire(PeerId peer, long nowNanos) {
    if (buckets.size() >= SWEEP_AT) {
      sweep(nowNanos);
    }
    Bucket b = buckets.get(peer);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.atNanos = nowNanos;
      buckets.put(peer, b);
    }
    b.tokens = Math.min(burst, b.tokens + Math.max(0, nowNanos - b.atNanos) * ratePerNano);
    b.atNanos = nowNanos;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  private void sweep(long nowNanos) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.tokens + (nowNanos - b.atNanos) * ratePerNano >= burst) {
        it.remove();
      }
    }
  }
}
