package io.meshlog.bench.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short round of each sequencer benchmark mode so that neither can rot: the round's own check
 * (one seq per message, no seq twice, every node holding the directory's positions) passes. The
 * figures are measured by {@code meshlog bench sequencer}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SequencerBenchmarkTest {
  @TempDir Path work;

  @Test
  void shouldFinalizeABacklogSubmittedToARestartedDirectory() throws Exception {
    SequencerBenchmark.Figures f =
        SequencerBenchmark.run(
            new SequencerBenchmark.Settings(SequencerBenchmark.Mode.backlog, 400, 2, 64, "20ms"),
            work.resolve("backlog"));
    assertThat(f.messages()).isEqualTo(400);
    assertThat(f.convergedSeconds()).isGreaterThanOrEqualTo(f.allFinalSeconds());
  }

  @Test
  void shouldFinalizeMessagesPublishedLive() throws Exception {
    SequencerBenchmark.Figures f =
        SequencerBenchmark.run(
            new SequencerBenchmark.Settings(SequencerBenchmark.Mode.live, 400, 2, 64, "20ms"),
            work.resolve("live"));
    assertThat(f.messages()).isEqualTo(400);
    assertThat(f.finalizedPerSecond()).isPositive();
  }
}
