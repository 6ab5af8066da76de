package io.meshlog.node.p2p.internal.yamux;

import io.netty.util.collection.IntObjectHashMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * Outstanding session pings by opaque value, and the last measured round trip (which also feeds
 * receive-window growth).
 *
 * <p>Not thread-safe; owned by the session's event loop, except {@link #rttNanos()}.
 */
final class PingTracker {
  static final int MAX_OUTSTANDING = 64;

  private static final class Pending {
    final long startNanos;
    final CompletableFuture<Duration> done;

    Pending(long startNanos, CompletableFuture<Duration> done) {
      this.startNanos = startNanos;
      this.done = done;
    }
  }

  private final IntObjectHashMap<Pending> outstanding = new IntObjectHashMap<>();
  private int nextOpaque;
  private volatile long rttNanos;

  /**
   * Registers a ping.
   *
   * @return the opaque value to send, or -1 when {@link #MAX_OUTSTANDING} are already waiting
   */
  long start(CompletableFuture<Duration> done) {
    if (outstanding.size() >= MAX_OUTSTANDING) {
      return -1;
    }
    int opaque = nextOpaque++;
    outstanding.put(opaque, new Pending(System.nanoTime(), done));
    return opaque & 0xFFFFFFFFL;
  }

  /** A PING ACK arrived; unknown values (late or unsolicited) are ignored. */
  void complete(int opaque) {
    Pending p = outstanding.remove(opaque);
    if (p != null) {
      long rtt = Math.max(1, System.nanoTime() - p.startNanos);
      rttNanos = rtt;
      p.done.complete(Duration.ofNanos(rtt));
    }
  }

  /** Last measured round trip in nanoseconds, 0 before the first. Any thread. */
  long rttNanos() {
    return rttNanos;
  }

  void failAll(Throwable cause) {
    ArrayList<Pending> all = new ArrayList<>(outstanding.values());
    outstanding.clear();
    for (Pending p : all) {
      p.done.completeExceptionally(cause);
    }
  }
}
