package io.meshlog.bench.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short run of the transport benchmark so that it cannot rot: the run's own byte-count checks
 * pass and the figures describe what was asked. The speed is measured by {@code meshlog bench
 * transport} and {@code TransportBenchmarkIT} ({@code -Pslow}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportBenchmarkTest {

  @Test
  void shouldRunEveryPhaseAndCheckItsCounts() throws Exception {
    TransportBenchmark.Figures f =
        TransportBenchmark.run(new TransportBenchmark.Settings(5, 2L << 20, 64 << 10, 4));
    assertThat(f.connections()).isEqualTo(5);
    assertThat(f.streamBytes()).isEqualTo(2L << 20);
    assertThat(f.streams()).isEqualTo(4);
    assertThat(f.connectP90Ms()).isGreaterThanOrEqualTo(f.connectMedianMs());
  }
}
