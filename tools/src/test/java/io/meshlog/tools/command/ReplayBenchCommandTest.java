package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshlog bench replay}: the one run and the scaling table, at sizes that fit a test. */
@Timeout(180)
class ReplayBenchCommandTest {
  @TempDir Path dir;

  /** A measured cell: journals, messages, events, read, analysis, ratio, peak and live heap. */
  private static final Pattern CELL =
      Pattern.compile(
          "^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)\\s+(\\d+)$",
          Pattern.MULTILINE);

  private static final Pattern SKIPPED =
      Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+skipped: ", Pattern.MULTILINE);

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute(args)).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void shouldPrintReadAnalysisRatioAndBothHeapFiguresForOneRun() throws Exception {
    String text =
        run(
            "bench",
            "replay",
            "--data-dir",
            dir.toString(),
            "--journals",
            "3",
            "--messages",
            "2000",
            "--runs",
            "1",
            "--no-warmup");
    assertThat(text)
        .contains("replay 3 journals")
        .contains("plain read")
        .contains("x read")
        .containsPattern("live after GC \\d+ MiB")
        .contains("end to end")
        .contains("target end to end (analysis and JSON output) >= 3M events/s");
    try (var left = Files.list(dir)) {
      assertThat(left).as("journals deleted").isEmpty();
    }
  }

  @Test
  void shouldMeasureTheScalingCellsThatFitAndListTheOthersAsSkipped() {
    // 1 x 10^4 messages is 50,002 events: the only cell under the cap.
    String text =
        run(
            "bench",
            "replay",
            "--scaling",
            "--max-events",
            "60000",
            "--runs",
            "1",
            "--no-warmup",
            "--data-dir",
            dir.toString());
    Matcher cell = CELL.matcher(text);
    assertThat(cell.find()).as(text).isTrue();
    assertThat(cell.group(1)).isEqualTo("1");
    assertThat(cell.group(2)).isEqualTo("10000");
    assertThat(cell.group(3)).isEqualTo("50002");
    assertThat(Double.parseDouble(cell.group(4))).as("read M/s").isPositive();
    assertThat(Double.parseDouble(cell.group(5))).as("analysis M/s").isPositive();
    assertThat(Double.parseDouble(cell.group(6))).as("ratio").isPositive();
    assertThat(cell.find()).as("one cell measured").isFalse();
    Matcher skipped = SKIPPED.matcher(text);
    int n = 0;
    while (skipped.find()) {
      n++;
    }
    assertThat(n).as("cells skipped of the 3 x 3 table").isEqualTo(8);
  }

  @Test
  void shouldPrintStrictJsonLinesWithTheDocumentedFields() throws Exception {
    String json =
        run(
            "bench",
            "replay",
            "--data-dir",
            dir.toString(),
            "--journals",
            "2",
            "--messages",
            "1000",
            "--runs",
            "1",
            "--no-warmup",
            "--format",
            "json");
    JsonNode f = StrictJsonLines.single(json);
    assertThat(f.get("bench").asText()).isEqualTo("replay");
    assertThat(f.get("run").asText()).isEqualTo("analysis");
    assertThat(f.get("journals").asInt()).isEqualTo(2);
    assertThat(f.get("messages").asInt()).isEqualTo(1000);
    assertThat(f.get("warmup").asInt()).as("--no-warmup").isZero();
    assertThat(f.get("runs").asInt()).isEqualTo(1);
    assertThat(f.get("events").asLong()).isPositive();
    assertThat(f.get("analysisMin").asDouble()).isPositive();
    assertThat(f.get("endToEnd").asBoolean()).as("the JSON output is timed too").isTrue();
    assertThat(f.get("readMin").asDouble()).isPositive();
    assertThat(f.get("peakHeapMiB").asDouble()).isPositive();
    assertThat(f.get("deliveries").asLong()).isPositive();

    String scaling =
        run(
            "bench",
            "replay",
            "--scaling",
            "--max-events",
            "60000",
            "--runs",
            "1",
            "--no-warmup",
            "--format",
            "json",
            "--data-dir",
            dir.toString());
    JsonNode cell = StrictJsonLines.single(scaling);
    assertThat(cell.get("run").asText()).isEqualTo("scaling");
    assertThat(cell.get("events").asLong()).isEqualTo(50_002);
  }
}
