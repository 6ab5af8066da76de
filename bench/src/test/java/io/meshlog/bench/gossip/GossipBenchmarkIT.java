package io.meshlog.bench.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.interop.JsBench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every gossip figure in one run, 1 KiB signed messages: meshlog Java<->Java next to js-libp2p
 * js<->js (same settings), the same Java run with and without journaling, and propagation latency
 * across a 20-node Java mesh at 1000 msg/s (and at 100 msg/s). Each run checks its own result
 * (every message delivered exactly once, the journal holding the deliveries); the figures are
 * printed for the report, not asserted, since the build machine is shared. Slow: {@code -Pslow};
 * {@code GossipBenchmarkTest} is its short smoke run.
 */
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GossipBenchmarkIT {
  @TempDir Path work;

  @Test
  void shouldMeasureAllGossipFiguresInOneRun() throws Exception {
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
    int journalMessages = Integer.getInteger("bench.journalMessages", 5_000);
    GossipBenchmark.JournalCost cost =
        GossipBenchmark.journalCost(
            new GossipBenchmark.Settings(journalMessages, 1024, 500), work, 5);
    GossipBenchmark.MeshFigures mesh =
        GossipBenchmark.meshLatency(GossipBenchmark.MeshSettings.defaults());
    // The same mesh at a rate this machine sustains, so that latency is not queueing alone.
    GossipBenchmark.MeshFigures slowMesh =
        GossipBenchmark.meshLatency(GossipBenchmark.MeshSettings.defaults().atRate(100));
    System.out.printf(
        "%n== gossip benchmark, loopback, 1 KiB signed messages ==%njava<->java %s%n"
            + "js<->js    %.0f msg/s%nratio      %.1fx%n%s%n%s%n%s%n%n",
        java, jsRate, java.messagesPerSec() / jsRate, cost, mesh, slowMesh);
    assertThat(java.messages()).isEqualTo(messages);
    assertThat(java.messagesPerSec()).isPositive();
    assertThat(cost.deliverEventsPerRun()).isEqualTo(journalMessages);
    for (GossipBenchmark.MeshFigures m : new GossipBenchmark.MeshFigures[] {mesh, slowMesh}) {
      assertThat(m.deliveries()).isEqualTo(m.messages() * (m.nodes() - 1));
    }
  }
}
