package io.meshlog.bench.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark small, for its self-check; the figure is measured by {@code meshlog bench}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProjectionBenchmarkTest {

  @TempDir Path tmp;

  @Test
  void shouldApplyEveryEventAndCheckItsResult() {
    ProjectionBenchmark.Result result = ProjectionBenchmark.run(tmp.resolve("p"), 100_000);
    assertThat(result.events()).isEqualTo(100_000);
    assertThat(result.peers()).isEqualTo(ProjectionBenchmark.PEERS);
    assertThat(result.topics()).isEqualTo(ProjectionBenchmark.TOPICS);
    try (Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults())) {
      assertThat(p.appliedIndex()).isEqualTo(99_999);
    }
  }
}
