package io.meshlog.bench.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of each gossip benchmark so that none can rot: each run's exactly-once check passes
 * and the journal holds the deliveries. The figures are measured by {@code meshlog bench gossip}
 * and {@code GossipBenchmarkIT} ({@code -Pslow}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipBenchmarkTest {
  @TempDir Path work;

  @Test
  void shouldDeliverEveryMessageOnceWithAndWithoutJournaling() throws Exception {
    GossipBenchmark.Figures f = GossipBenchmark.run(new GossipBenchmark.Settings(300, 256, 50));
    assertThat(f.messages()).isEqualTo(300);

    GossipBenchmark.JournalCost cost =
        GossipBenchmark.journalCost(new GossipBenchmark.Settings(200, 256, 50), work, 1);
    assertThat(cost.deliverEventsPerRun()).isEqualTo(200);
    assertThat(cost.noop()).hasSize(1);
    assertThat(cost.journaled()).hasSize(1);
  }

  @Test
  void shouldDeliverEveryMeshMessageAtEveryOtherNode() throws Exception {
    GossipBenchmark.MeshFigures m =
        GossipBenchmark.meshLatency(new GossipBenchmark.MeshSettings(5, 2, 50, 1, 128, 7));
    assertThat(m.messages()).isEqualTo(50);
    assertThat(m.deliveries()).isEqualTo(50 * 4);
    assertThat(m.maxMs()).isGreaterThanOrEqualTo(m.p99Ms());
  }
}
