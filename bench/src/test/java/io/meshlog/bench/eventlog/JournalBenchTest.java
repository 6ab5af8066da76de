package io.meshlog.bench.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.JournalConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end at a tiny size, checks itself, and cleans up after itself. */
@Timeout(120)
class JournalBenchTest {
  @TempDir Path tmp;

  @Test
  void shouldEncodeSampleEventsToExactly128Bytes() {
    assertThat(new EventCodec().encode(JournalBench.sampleEvent().sequence(100_000).timeNanos(1)))
        .isEqualTo(JournalBench.RECORD_BYTES);
  }

  @Test
  void shouldPrintEveryFigureWithItsTargetInASmallRun() throws Exception {
    StringWriter sw = new StringWriter();
    JournalBench.Options options =
        new JournalBench.Options(
            tmp,
            40_000,
            10_000,
            5_000,
            Duration.ofSeconds(1),
            1024,
            JournalConfig.WaitStrategy.BLOCKING,
            8 << 20);
    List<JournalBench.Figure> figures = new JournalBench(options, new PrintWriter(sw, true)).run();
    String out = sw.toString();
    assertThat(out)
        .contains("(a) raw Chronicle append")
        .contains("(b) pipeline publish->journaled, 1 producer")
        .contains("(b) pipeline publish->journaled, 4 producers")
        .contains("(c) journal read")
        .contains("raw Chronicle read (ceiling)")
        .contains("read passes min/median/max")
        .contains("journal read into Event objects")
        .contains("(d) projection apply")
        .contains("(e) latency")
        .contains("target");
    assertThat(figures).extracting(JournalBench.Figure::name).anyMatch(n -> n.contains("p99"));
    assertThat(figures)
        .filteredOn(f -> f.name().startsWith("(d) projection apply"))
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isPositive());
    assertThat(figures.get(0).value()).isPositive();
    assertThat(figures)
        .filteredOn(f -> f.name().startsWith("(c) journal read"))
        .singleElement()
        .satisfies(f -> assertThat(f.count()).isEqualTo(40_000));
    try (var files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }
}
