package io.meshlog.node.p2p;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per peer for one kind of request (a directory's REGISTER or DISCOVER, a sync
 * server's requests): {@code burst} at once, refilled at {@code rate} per second. Buckets that are
 * full again are forgotten, on {@link #sweep} and whenever the table grows past 1024 peers, so
 * memory follows the peers that asked recently, not every peer ever seen. Time is passed in; a
 * clock that steps back refills nothing.
 *
 * <p>Thread-safe (synchronized: one call per request).
 */
public final class PeerRateLimit {
  private static final int SWEEP_AT = 1024;
  private static final long SECOND = 1_000_000_000L;

  private static final class Bucket {
    double tokens;
    long atNanos;
    long refusedSinceJournaled;
    long journaledAtNanos = Long.MIN_VALUE / 2; // "long ago", without overflow on subtraction
  }

  private final double ratePerNano;
  private final int burst;
  private final Map<PeerId, Bucket> buckets = new HashMap<>();

  /**
   * @param ratePerSecond tokens added per second (&gt; 0)
   * @param burst tokens a bucket holds at most, and starts with (&gt;= 1)
   */
  public PeerRateLimit(double ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one token for {@code peer}; false when its bucket is empty. */
  public synchronized boolean tryAcquire(PeerId peer, long nowNanos) {
    if (buckets.size() >= SWEEP_AT && !buckets.containsKey(peer)) {
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
    b.refusedSinceJournaled++;
    return false;
  }

  /**
   * Whether a refusal of {@code peer} should be journaled now: at most one record per second per
   * peer, so that a flood cannot flood the journal. Returns the refusals the record stands for
   * (those since the last one), or 0 for none now.
   */
  public synchronized long journalRefusal(PeerId peer, long nowNanos) {
    Bucket b = buckets.get(peer);
    if (b == null || nowNanos - b.journaledAtNanos < SECOND) {
      return 0;
    }
    long n = b.refusedSinceJournaled;
    b.refusedSinceJournaled = 0;
    b.journaledAtNanos = nowNanos;
    return n;
  }

  /** Forgets the buckets that have refilled and whose last refusal record is a second old. */
  public synchronized void sweep(long nowNanos) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      if (b.tokens + Math.max(0, nowNanos - b.atNanos) * ratePerNano >= burst
          && nowNanos - b.journaledAtNanos >= SECOND) {
        it.remove();
      }
    }
  }

  /** Peers with a bucket now. */
  public synchronized int tracked() {
    return buckets.size();
  }
}
