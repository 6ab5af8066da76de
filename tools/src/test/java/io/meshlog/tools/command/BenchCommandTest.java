package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void shortRunPrintsFiguresBesideTargetsAndSucceeds() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit =
        cl.execute(
            "bench",
            "--data-dir",
            dir.toString(),
            "--events",
            "20000",
            "--warmup",
            "5000",
            "--rate",
            "5000",
            "--latency-seconds",
            "1",
            "--preallocate-bytes",
            "8388608");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("(a) raw Chronicle append")
        .contains("(b) pipeline publish->journaled, 4 producers")
        .contains("(c) journal read")
        .contains("(e) latency publish->journaled @5k/s")
        .contains("target p99 <= 1 ms");
  }

  @Test
  void jsonRunPrintsOneParsableLinePerFigureWithCheckedCounts() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit =
        cl.execute(
            "bench",
            "journal",
            "--format",
            "json",
            "--data-dir",
            dir.toString(),
            "--events",
            "20000",
            "--warmup",
            "5000",
            "--rate",
            "5000",
            "--latency-seconds",
            "1",
            "--preallocate-bytes",
            "8388608");
    assertThat(exit).as(err.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().strip().split("\n")) {
      lines.add(JSON.readTree(line)); // every line is one JSON object, nothing else is printed
    }
    assertThat(lines).allSatisfy(l -> assertThat(l.path("bench").asText()).isEqualTo("journal"));
    assertThat(lines).allSatisfy(l -> assertThat(l.path("value").isNumber()).isTrue());
    assertThat(figure(lines, "(a) raw Chronicle append").path("count").asLong()).isEqualTo(20_000);
    assertThat(figure(lines, "(b) pipeline publish->journaled, 1 producer").path("count").asLong())
        .isEqualTo(20_000);
    assertThat(figure(lines, "(b) pipeline publish->journaled, 4 producers").path("count").asLong())
        .isEqualTo(20_000);
    assertThat(figure(lines, "(c) journal read").path("count").asLong()).isEqualTo(20_000);
    assertThat(figure(lines, "(d) projection apply").path("count").asLong()).isEqualTo(20_000);
    JsonNode p99 = figure(lines, "(e) latency publish->journaled @5k/s p99");
    assertThat(p99.path("count").asLong()).isEqualTo(5_000);
    assertThat(p99.path("target").asText()).isEqualTo("<= 1000 us");
    assertThat(figure(lines, "(e) latency publish->journaled @5k/s p99.9").path("target").asText())
        .isEqualTo("<= 5000 us");
    assertThat(figure(lines, "(a) raw Chronicle append").path("value").asDouble()).isPositive();
  }

  @Test
  void transportAndGossipPrintTheirCheckedRunsAsJson() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(
            cl.execute(
                "bench",
                "transport",
                "--format",
                "json",
                "--no-warmup",
                "--connections",
                "3",
                "--stream-bytes",
                "1048576",
                "--streams",
                "2"))
        .as(err.toString())
        .isZero();
    JsonNode transport = JSON.readTree(out.toString().strip());
    assertThat(transport.path("bench").asText()).isEqualTo("transport");
    assertThat(transport.path("connections").asInt()).isEqualTo(3);
    assertThat(transport.path("streamBytes").asLong()).isEqualTo(1_048_576);
    assertThat(transport.path("multiStreamMbPerSec").isNumber()).isTrue();

    out.getBuffer().setLength(0);
    assertThat(
            cl.execute(
                "bench",
                "gossip",
                "--format",
                "json",
                "--no-warmup",
                "--data-dir",
                dir.toString(),
                "--messages",
                "200",
                "--message-bytes",
                "128",
                "--window",
                "50",
                "--journal-messages",
                "100",
                "--rounds",
                "1",
                "--mesh-nodes",
                "4",
                "--mesh-rate",
                "40",
                "--mesh-seconds",
                "1"))
        .as(err.toString())
        .isZero();
    String[] gossip = out.toString().strip().split("\n");
    assertThat(gossip).hasSize(3);
    assertThat(JSON.readTree(gossip[0]).path("messages").asInt()).isEqualTo(200);
    assertThat(JSON.readTree(gossip[1]).path("deliverEventsPerRun").asLong()).isEqualTo(100);
    JsonNode mesh = JSON.readTree(gossip[2]);
    assertThat(mesh.path("run").asText()).isEqualTo("mesh-latency");
    assertThat(mesh.path("deliveries").asInt()).isEqualTo(40 * 3);
  }

  private static JsonNode figure(List<JsonNode> lines, String namePrefix) {
    return lines.stream()
        .filter(
            l ->
                l.path("name").asText().startsWith(namePrefix)
                    && !l.path("name").asText().startsWith(namePrefix + "."))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no figure " + namePrefix + " in " + lines));
  }

  @Test
  void badOptionIsReportedWithExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("bench", "--data-dir", dir.toString(), "--ring-size", "1000"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("invalid journal.ringSize = 1000");
  }
}
