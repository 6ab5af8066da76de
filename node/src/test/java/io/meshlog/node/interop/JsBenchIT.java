package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The js reference benchmark runs end to end and reports figures (small sizes, not a benchmark).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsBenchIT {

  @Test
  void shouldReportEveryFigureForAShortRun() {
    JsBench.Figures figures =
        JsBench.run(
            "all",
            Map.of(
                "connections", 10L,
                "streamBytes", 8L << 20,
                "messages", 500L),
            Duration.ofSeconds(90));

    assertThat(figures.number("/connect/connections")).isEqualTo(10);
    assertThat(figures.number("/connect/connectMedianMs")).isPositive();
    assertThat(figures.number("/connect/connectionsPerSec")).isPositive();
    assertThat(figures.number("/stream/bytes")).isEqualTo(8 << 20);
    assertThat(figures.number("/stream/mbPerSec")).isPositive();
    assertThat(figures.number("/streams8/streams")).isEqualTo(8);
    assertThat(figures.number("/streams8/mbPerSec")).isPositive();
    assertThat(figures.number("/gossip/messages")).isEqualTo(500);
    assertThat(figures.number("/gossip/messageBytes")).isEqualTo(1024);
    assertThat(figures.number("/gossip/messagesPerSec")).isPositive();
  }

  @Test
  void shouldFailOnAnUnknownMode() {
    assertThatThrownBy(() -> JsBench.run("warp", Map.of(), Duration.ofSeconds(30)))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("usage: node bench.mjs");
  }
}
