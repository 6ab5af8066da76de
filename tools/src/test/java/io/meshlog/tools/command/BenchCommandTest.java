package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class BenchCommandTest {

  @TempDir Path dir;

  /** A throughput line: name, rate in millions per second, per CPU-second, target, verdict. */
  private static final Pattern RATE_LINE =
      Pattern.compile(
          "^(\\([a-d]\\) .+?)\\s+(\\d+\\.\\d+) M\\S+ \\(\\s*(\\d+\\.\\d+) M per CPU-s\\)\\s+target"
              + " (.+?)\\s+(MET|NOT MET)?$",
          Pattern.MULTILINE);

  /** The latency line: p50, p99, p99.9, max in microseconds and the events measured. */
  private static final Pattern LATENCY_LINE =
      Pattern.compile(
          "^\\(e\\) latency publish->journaled @5k/s(?: \\([a-z_]+\\))?\\s+p50 ([\\d.]+) us  p99 ([\\d.]+) us  p99.9"
              + " ([\\d.]+) us  max ([\\d.]+) us  \\((\\d+) events, \\d+ ring stalls\\).*"
              + "  target p99 <= 1 ms, p99.9 <= 5 ms  (MET|NOT MET)$",
          Pattern.MULTILINE);

  @Test
  void shouldPrintPositiveFiguresAndAVerdictThatFollowsFromThem() {
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
    String text = out.toString();

    List<String> names = new ArrayList<>();
    boolean allMet = true;
    Matcher rate = RATE_LINE.matcher(text);
    while (rate.find()) {
      names.add(rate.group(1).strip());
      assertThat(Double.parseDouble(rate.group(2))).as(rate.group()).isPositive();
      assertThat(Double.parseDouble(rate.group(3))).as(rate.group()).isPositive();
      if (!rate.group(4).equals("baseline")) {
        assertThat(rate.group(5)).as(rate.group() + ": a target needs a verdict").isNotNull();
        allMet &= rate.group(5).equals("MET");
      }
    }
    assertThat(names)
        .as(text)
        .contains(
            "(a) raw Chronicle append, 1 thread",
            "(b) pipeline publish->journaled, 1 producer",
            "(b) pipeline publish->journaled, 4 producers",
            "(c) journal read (decode every event)",
            "(d) projection apply");

    Matcher latency = LATENCY_LINE.matcher(text);
    assertThat(latency.find()).as(text).isTrue();
    double p50 = Double.parseDouble(latency.group(1));
    double p99 = Double.parseDouble(latency.group(2));
    double p999 = Double.parseDouble(latency.group(3));
    double max = Double.parseDouble(latency.group(4));
    assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
    assertThat(p99).isLessThanOrEqualTo(p999);
    assertThat(p999).isLessThanOrEqualTo(max);
    assertThat(Long.parseLong(latency.group(5))).isEqualTo(5_000); // 5k/s for 1 s, all seen
    // the verdict follows from the printed figures (rounding to 0.1 us aside)
    if (p99 < 999.9 && p999 < 4999.9) {
      assertThat(latency.group(6)).isEqualTo("MET");
    } else if (p99 > 1000.1 || p999 > 5000.1) {
      assertThat(latency.group(6)).isEqualTo("NOT MET");
    }
    allMet &= latency.group(6).equals("MET");
    assertThat(text.strip()).endsWith(allMet ? "all targets met" : "some targets NOT met");
  }

  @Test
  void shouldPrintOneParsableJsonLinePerFigureWithCheckedCounts() throws Exception {
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
    for (JsonNode line : StrictJsonLines.parse(out.toString())) {
      lines.add(line); // every line is one JSON object, nothing else is printed
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
    for (JsonNode l : lines) {
      assertThat(l.path("value").asDouble()).as(l.toString()).isPositive().isFinite();
      assertThat(l.path("count").asLong()).as(l.toString()).isPositive();
    }
    String latency = "(e) latency publish->journaled @5k/s";
    double p50 = figure(lines, latency + " p50").path("value").asDouble();
    double p99v = p99.path("value").asDouble();
    double p999 = figure(lines, latency + " p99.9").path("value").asDouble();
    double max = figure(lines, latency + " max").path("value").asDouble();
    assertThat(p50).isLessThanOrEqualTo(p99v);
    assertThat(p99v).isLessThanOrEqualTo(p999);
    assertThat(p999).isLessThanOrEqualTo(max);
    assertThat(p99.path("met").asBoolean()).isEqualTo(p99v <= 1000);
    // (b) with 4 producers is held to 0.8 x (a): its verdict must agree with the two values
    double raw = figure(lines, "(a) raw Chronicle append").path("value").asDouble();
    JsonNode four = figure(lines, "(b) pipeline publish->journaled, 4 producers");
    assertThat(four.path("met").asBoolean())
        .as(four + " against raw " + raw)
        .isEqualTo(four.path("value").asDouble() >= 0.8 * raw);
  }

  @Test
  void shouldPrintTransportAndGossipRunsAsJson() throws Exception {
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
    JsonNode transport = StrictJsonLines.single(out.toString());
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
    List<JsonNode> gossip = StrictJsonLines.parse(out.toString());
    assertThat(gossip).hasSize(3);
    assertThat(gossip.get(0).path("messages").asInt()).isEqualTo(200);
    assertThat(gossip.get(1).path("deliverEventsPerRun").asLong()).isEqualTo(100);
    JsonNode mesh = gossip.get(2);
    assertThat(mesh.path("run").asText()).isEqualTo("mesh-latency");
    assertThat(mesh.path("deliveries").asInt()).isEqualTo(40 * 3);
  }

  @Test
  void shouldPrintSequencerRoundsAndTheirSummary() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] small = {
      "--no-warmup",
      "--data-dir",
      dir.toString(),
      "--messages",
      "200",
      "--rounds",
      "1",
      "--hold-back",
      "20ms"
    };
    List<String> text = new ArrayList<>(List.of("bench", "sequencer"));
    text.addAll(List.of(small));
    assertThat(cl.execute(text.toArray(String[]::new))).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("round 0: sequencer backlog: 200 messages")
        .containsPattern("finalized/s  min \\d+  median \\d+  max \\d+  \\(backlog, 200")
        .contains("converged (s) min ");

    out.getBuffer().setLength(0);
    List<String> json = new ArrayList<>(List.of("bench", "sequencer", "--mode", "live"));
    json.addAll(List.of(small));
    json.addAll(List.of("--format", "json"));
    assertThat(cl.execute(json.toArray(String[]::new))).as(err.toString()).isZero();
    JsonNode round = StrictJsonLines.single(out.toString());
    assertThat(round.path("bench").asText()).isEqualTo("sequencer");
    assertThat(round.path("mode").asText()).isEqualTo("live");
    assertThat(round.path("messages").asInt()).isEqualTo(200);
    assertThat(round.path("finalizedPerSecond").asDouble()).isPositive();
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
  void shouldExit2NamingABadOption() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("bench", "--data-dir", dir.toString(), "--ring-size", "1000"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("invalid journal.ringSize = 1000");
  }
}
