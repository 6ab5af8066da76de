package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsCommandTest {

  @TempDir Path dataDir;

  private final byte[] alice = peer(1);
  private final byte[] bob = peer(2);
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  @BeforeEach
  void project() throws Exception {
    try (Projections p =
        Projections.open(dataDir.resolve("projections"), ProjectionConfig.defaults())) {
      Event e = new Event();
      long i = 0;
      p.onJournaled(
          e.clear().type(EventType.CONNECTION_OPENED).timeNanos(1_000).peer(alice), i++, false);
      p.onJournaled(
          e.clear().type(EventType.RECV_RPC).timeNanos(2_000).peer(alice).size(700), i++, false);
      p.onJournaled(
          e.clear().type(EventType.CONNECTION_OPENED).timeNanos(3_000).peer(bob), i++, false);
      for (int m = 0; m < 3; m++) {
        p.onJournaled(
            e.clear()
                .type(EventType.DELIVER_MESSAGE)
                .timeNanos(10_000_000L + m)
                .value(10_000_000L + m - 3_000_000)
                .peer(bob)
                .topic("/chat")
                .lamport(m)
                .data(new byte[50]),
            i++,
            m == 2);
      }
    }
  }

  private int run(String... args) {
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void shouldPrintPeerAndTopicTablesAsText() {
    assertThat(run("stats", "--data-dir", dataDir.toString())).isZero();
    String text = out.toString();
    assertThat(text).contains("applied up to journal index 5");
    assertThat(text)
        .contains("peers (2)")
        .contains(Base58.encode(alice))
        .contains(Base58.encode(bob));
    assertThat(text).containsPattern("/chat\\s+3\\s+150\\s");
    assertThat(text).contains("1970-01-01T00:00:00.000001Z");
    assertThat(text).contains("p50 ms").contains("p99.9 ms").contains("max ms");
    assertThat(text).containsPattern("/chat\\s.*\\s3\\.0\\d\\d\\s+3\\.0\\d\\d\\s");
  }

  @Test
  void shouldPrintJsonFilteredByPeer() throws Exception {
    assertThat(
            run(
                "stats",
                "--data-dir",
                dataDir.toString(),
                "--format",
                "json",
                "--peer",
                Base58.encode(alice)))
        .isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("appliedIndex").asLong()).isEqualTo(5);
    assertThat(json.get("peers")).hasSize(1);
    assertThat(json.get("peers").get(0).get("peer").asText()).isEqualTo(Base58.encode(alice));
    assertThat(json.get("peers").get(0).get("bytesIn").asLong()).isEqualTo(700);
    assertThat(json.get("topics")).isEmpty();
  }

  @Test
  void shouldPrintMeasuredTopicLatencyPercentilesAsJson() throws Exception {
    assertThat(
            run("stats", "--data-dir", dataDir.toString(), "--format", "json", "--topic", "/chat"))
        .isZero();
    JsonNode topic = new ObjectMapper().readTree(out.toString()).get("topics").get(0);
    assertThat(topic.get("messages").asLong()).isEqualTo(3);
    JsonNode latency = topic.get("latency");
    assertThat(latency.get("count").asLong()).isEqualTo(3);
    // every delivery took 3 ms: each figure is 3 ms to HdrHistogram's 1%
    for (String field : new String[] {"p50Millis", "p90Millis", "p99Millis", "p999Millis"}) {
      assertThat(latency.get(field).asDouble())
          .as(field)
          .isCloseTo(3.0, Percentage.withPercentage(1));
    }
    assertThat(latency.get("maxMillis").asDouble()).isCloseTo(3.0, Percentage.withPercentage(1));
  }

  @Test
  void shouldFailWithCodeOneForUnknownTopic() {
    assertThat(run("stats", "--data-dir", dataDir.toString(), "--topic", "/nope")).isEqualTo(1);
    assertThat(err.toString()).contains("no such topic").contains("/nope");
  }

  @Test
  void shouldFailWithCodeThreeWithoutProjections() {
    Path empty = dataDir.resolve("elsewhere");
    assertThat(run("stats", "--data-dir", empty.toString())).isEqualTo(3);
    assertThat(err.toString()).contains(empty.resolve("projections").toString());
  }
}
