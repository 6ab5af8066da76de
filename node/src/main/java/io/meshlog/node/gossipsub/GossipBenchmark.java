package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.Host;
import io.meshlog.node.HostConfig;
import io.meshlog.node.Identity;
import io.meshlog.node.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures gossip between two hosts in this JVM over loopback, the way the js reference script
 * ({@code node/src/test/js/bench.mjs gossip}) measures js-libp2p: one publisher, one subscriber
 * meshed with it, {@code messages} signed messages of {@code messageBytes} each, at most {@code
 * window} published but not yet delivered. Every message is signed, sent over TCP + Noise + Yamux,
 * verified and delivered, so the figure is end to end.
 *
 * <p>Checks its own result: a message not delivered exactly once fails the run. Journaling is not
 * included (the sink discards events). A library method for the {@code meshlog bench} command, and
 * a {@link #main} of its own.
 */
public final class GossipBenchmark {
  private static final String TOPIC = "bench";

  /** What to run. */
  public record Settings(int messages, int messageBytes, int window) {
    public static Settings defaults() {
      return new Settings(20_000, 1024, 500);
    }
  }

  /** What was measured. */
  public record Figures(int messages, int messageBytes, double elapsedMs, double messagesPerSec) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "gossip: %d messages of %d bytes in %.0f ms, %.0f msg/s",
          messages,
          messageBytes,
          elapsedMs,
          messagesPerSec);
    }
  }

  private GossipBenchmark() {}

  /**
   * Runs the measurement.
   *
   * @throws IllegalStateException when a message is lost or duplicated, or the run stalls
   */
  public static Figures run(Settings s) throws Exception {
    GossipsubConfig config =
        GossipsubConfig.builder()
            .heartbeatInterval(Duration.ofMillis(100))
            .inboundQueueCapacity(Math.max(8192, s.window() * 4))
            .build();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    byte[] seen = new byte[s.messages()];
    Identity pubId = Identity.generate();
    Identity subId = Identity.generate();
    try (Host pubHost = Host.start(HostConfig.defaults(), pubId, EventSink.NOOP);
        Host subHost = Host.start(HostConfig.defaults(), subId, EventSink.NOOP);
        GossipsubService pub =
            GossipsubService.start(pubHost, pubId, config, (f, m) -> {}, EventSink.NOOP);
        GossipsubService sub =
            GossipsubService.start(
                subHost,
                subId,
                config,
                (from, m) -> {
                  int i = ByteBuffer.wrap(m.data()).getInt();
                  if (seen[i]++ != 0) {
                    duplicates.incrementAndGet();
                  }
                  received.incrementAndGet();
                },
                EventSink.NOOP)) {
      pub.gossipsub().subscribe(TOPIC);
      sub.gossipsub().subscribe(TOPIC);
      pubHost.dial(subHost.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      PeerId subKey = subId.peerId();
      long meshDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!pub.gossipsub().meshPeers(TOPIC).get(5, TimeUnit.SECONDS).contains(subKey)) {
        if (System.nanoTime() > meshDeadline) {
          throw new IllegalStateException("no mesh between publisher and subscriber");
        }
        Thread.sleep(10);
      }
      byte[] payload = new byte[s.messageBytes()];
      long started = System.nanoTime();
      for (int i = 0; i < s.messages(); i++) {
        awaitBelow(received, i - s.window() + 1, started);
        byte[] data = payload.clone();
        ByteBuffer.wrap(data).putInt(0, i);
        pub.gossipsub().publish(TOPIC, data);
      }
      awaitBelow(received, s.messages(), started);
      double elapsedMs = (System.nanoTime() - started) / 1e6;
      if (received.get() != s.messages() || duplicates.get() != 0) {
        throw new IllegalStateException(
            "delivered "
                + received.get()
                + " of "
                + s.messages()
                + ", "
                + duplicates.get()
                + " twice");
      }
      return new Figures(
          s.messages(), s.messageBytes(), elapsedMs, s.messages() / (elapsedMs / 1000));
    }
  }

  /**
   * Waits until at least {@code target} messages were received; fails after 60 s of no progress.
   */
  private static void awaitBelow(AtomicInteger received, int target, long started) {
    long last = received.get();
    long lastProgress = System.nanoTime();
    while (received.get() < target) {
      LockSupport.parkNanos(50_000);
      long now = received.get();
      if (now != last) {
        last = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
        throw new IllegalStateException("stalled at " + now + " messages delivered");
      }
    }
  }

  /** Runs with the default settings and prints the figures. */
  public static void main(String[] args) throws Exception {
    System.out.println(run(Settings.defaults()));
  }
}
