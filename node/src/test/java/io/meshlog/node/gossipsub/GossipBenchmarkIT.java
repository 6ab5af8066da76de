package io.meshlog.node.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the gossip measurement at full size; the run checks its own result (every message delivered
 * exactly once). Prints the figures; compare with {@code JsBench.run("gossip")} for js-libp2p.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GossipBenchmarkIT {
  @Test
  void shouldDeliverEveryMessageOfTheFullRun() throws Exception {
    GossipBenchmark.Figures f = GossipBenchmark.run(GossipBenchmark.Settings.defaults());
    System.out.println("meshlog " + f);
    assertThat(f.messages()).isEqualTo(20_000);
    assertThat(f.messagesPerSec()).isPositive();
  }
}
