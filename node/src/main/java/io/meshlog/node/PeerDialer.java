package io.meshlog.node;

import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node connected to its configured peers for as long as it runs: every peer without an
 * open connection is dialled, and a failed dial waits a backoff that doubles from {@code min} up to
 * {@code max} (with up to 20% jitter, so a restarted mesh does not redial in lockstep). A peer that
 * drops after months is redialled the same way.
 *
 * <p>Memory: one entry per configured peer, never more (peers that only dial us are not kept here).
 * Thread-safe; dials run on one daemon thread and complete on I/O threads.
 */
final class PeerDialer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

  /** How often connections are checked; a dropped peer is noticed within this. */
  private static final long CHECK_MILLIS = 250;

  private final class Target {
    final Multiaddr address;
    final PeerId peer;
    long backoffMillis = min;
    long nextAttemptMillis;
    volatile boolean dialing;
    int failures;

    Target(Multiaddr address) {
      this.address = address;
      this.peer = address.peerId().orElseThrow();
    }
  }

  private final Host host;
  private final long min;
  private final long max;
  private final Map<Multiaddr, Target> targets = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final LongAdder started = new LongAdder();
  private final LongAdder failed = new LongAdder();

  PeerDialer(Host host, Duration min, Duration max) {
    this.host = host;
    this.min = min.toMillis();
    this.max = max.toMillis();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-dialer");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Adds a peer to keep connected; {@code address} must carry {@code /p2p/<id>}. */
  void keep(Multiaddr address) {
    if (address.peerId().isEmpty()) {
      throw new IllegalArgumentException("peer address needs /p2p/<peer id>: " + address);
    }
    targets.putIfAbsent(address, new Target(address));
  }

  /** Number of configured peers currently without a connection. */
  int disconnected() {
    int n = 0;
    for (Target t : targets.values()) {
      n += host.connection(t.peer).isEmpty() ? 1 : 0;
    }
    return n;
  }

  long dialsStarted() {
    return started.sum();
  }

  long dialsFailed() {
    return failed.sum();
  }

  private void check() {
    // Loop boundary of the dialer thread: a failure here must not stop redialling for good.
    try {
      long now = System.currentTimeMillis();
      for (Target t : targets.values()) {
        if (t.dialing || now < t.nextAttemptMillis || host.connection(t.peer).isPresent()) {
          continue;
        }
        t.dialing = true;
        started.increment();
        host.dial(t.address)
            .whenComplete(
                (connection, error) -> {
                  long at = System.currentTimeMillis();
                  if (error == null) {
                    t.backoffMillis = min;
                    t.failures = 0;
                    t.nextAttemptMillis = at;
                  } else {
                    failed.increment();
                    t.failures++;
                    long jitter = ThreadLocalRandom.current().nextLong(t.backoffMillis / 5 + 1);
                    t.nextAttemptMillis = at + t.backoffMillis + jitter;
                    if (t.failures == 1 || t.backoffMillis >= max) {
                      LOG.info(
                          "dial {} failed ({} in a row), next in {} ms: {}",
                          t.address,
                          t.failures,
                          t.backoffMillis,
                          error.toString());
                    }
                    t.backoffMillis = Math.min(max, t.backoffMillis * 2);
                  }
                  t.dialing = false;
                });
      }
    } catch (RuntimeException e) {
      LOG.warn("dialer check failed; retrying at the next check", e);
    }
  }

  /** Stops dialling; connections already open stay open. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
