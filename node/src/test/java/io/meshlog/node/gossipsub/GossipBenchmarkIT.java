package io.meshlog.node.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.interop.JsBench;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * meshlog Java<->Java gossip next to js-libp2p js<->js, same settings, same run. Each run checks
 * its own result (every message delivered exactly once); the figures are printed for the report,
 * not asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GossipBenchmarkIT {
  @Test
  void javaAndJsSideBySide() throws Exception {
    int messages = Integer.getInteger("bench.messages", 20_000);
    GossipBenchmark.run(new GossipBenchmark.Settings(2_000, 1024, 500)); // JIT warm-up
    GossipBenchmark.Figures java =
        GossipBenchmark.run(new GossipBenchmark.Settings(messages, 1024, 500));
    JsBench.Figures js =
        JsBench.run(
            "gossip",
            Map.of("messages", (long) messages, "messageBytes", 1024L, "window", 500L),
            Duration.ofMinutes(5));
    double jsRate = js.number("/gossip/messagesPerSec");
    System.out.printf(
        "%n== gossip benchmark, loopback, 1 KiB signed messages ==%njava<->java %s%n"
            + "js<->js    %.0f msg/s%nratio      %.1fx%n%n",
        java, jsRate, java.messagesPerSec() / jsRate);
    assertThat(java.messages()).isEqualTo(messages);
    assertThat(java.messagesPerSec()).isPositive();
  }
}
