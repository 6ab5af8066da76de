package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopOutageTest {
  private static final long SINCE = 1_764_700_000_000L;

  @Test
  void shouldSayInJsonSinceWhenAndWhyTheNodeIsUnreachableAndNothingAFrameSays() throws Exception {
    TopOutage outage =
        new TopOutage("12D3KooWSelf", SINCE, SINCE, "connection refused")
            .again(SINCE + 14_500, "no node running in /var/lib/meshlog");

    String line = outage.json();
    JsonNode o =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(line);

    assertThat(line).doesNotContain("\n");
    assertThat(o.get("time").asText()).isEqualTo("2025-12-02T18:26:54.500Z");
    assertThat(o.get("unreachableSince").asText()).isEqualTo("2025-12-02T18:26:40Z");
    assertThat(o.get("unreachable").asText()).isEqualTo("no node running in /var/lib/meshlog");
    assertThat(o.get("peerId").asText()).isEqualTo("12D3KooWSelf");
    assertThat(o.has("node")).as("scripts tell an outage from a frame by node").isFalse();
  }

  @Test
  void shouldCountTheOutageInTheTextViewAndKeepWithinItsWidth() {
    TopOutage outage = new TopOutage("", SINCE, SINCE + 14_900, "x".repeat(300));

    List<String> lines = outage.text(60, "1s");

    // The count comes before the time, so a narrow view cuts the time, not the count.
    assertThat(lines.get(0))
        .startsWith("meshlog top  (node)  UNREACHABLE for 14 s, since 2025-12-02");
    assertThat(lines.get(2)).isEqualTo("trying again every 1s; Ctrl-C to stop");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
  }
}
