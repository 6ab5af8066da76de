package io.meshlog.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The replay benchmark runs end to end at a tiny size, checks itself, and cleans up. */
@Timeout(120)
class ReplayBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void shouldMeasureReadAndAnalysisOfTheSameEventsInASmallRun() throws Exception {
    ReplayBenchmark.Figures f = ReplayBenchmark.run(new ReplayBenchmark.Settings(tmp, 3, 2_000, 2));
    // Per journal: NODE_STARTED, JOIN, GRAFT, then 5 events per message.
    assertThat(f.events()).isEqualTo(3L * (3 + 5 * 2_000));
    assertThat(f.messages()).isEqualTo(2_000);
    assertThat(f.readMin()).isPositive().isLessThanOrEqualTo(f.readMedian());
    assertThat(f.analysisMedian()).isPositive().isLessThanOrEqualTo(f.analysisMax());
    assertThat(f.ratio()).isPositive();
    assertThat(f.duplicateReceipts()).isEqualTo(3L * 2_000);
    assertThat(f.peakHeapMiB()).isPositive();
    assertThat(f.toString()).contains("plain read").contains("analysis").contains("x read");
    try (var files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void shouldWorkWithOneJournal() {
    ReplayBenchmark.Figures f = ReplayBenchmark.run(new ReplayBenchmark.Settings(tmp, 1, 500, 1));
    assertThat(f.events()).isEqualTo(2 + 5 * 500);
  }

  @Test
  void shouldRunTheWarmUpRoundsUntimedBeforeTheTimedOnes() {
    AtomicInteger outputs = new AtomicInteger();
    ReplayBenchmark.Figures f =
        ReplayBenchmark.run(
            new ReplayBenchmark.Settings(tmp, 2, 500, 1, 2, report -> outputs.incrementAndGet()));
    assertThat(outputs).as("every round writes its report, the warm-up's too").hasValue(3);
    assertThat(f.warmup()).isEqualTo(1);
    assertThat(f.runs()).isEqualTo(2);
    assertThat(f.endToEnd()).isTrue();
    assertThat(f.toString()).contains("2 runs after 1 untimed");
  }
}
