package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.tools.crash.CrashReport;
import io.meshlog.tools.crash.CrashTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node under gossip load from two meshlog peers, killed with SIGKILL three times at random
 * moments: nothing it acknowledged is lost, the journal reads end to end, the projections equal a
 * rebuild, the clock never goes back and the node rejoins the mesh each time. The hundred-kill run
 * is {@code meshlog crashtest --kills 100} (docs/reliability.md).
 */
@Timeout(300)
class CrashtestIT {

  @TempDir Path tmp;

  @Test
  void shouldLoseNothingAcknowledgedAcrossThreeKills() throws Exception {
    StringWriter progress = new StringWriter();
    CrashReport report =
        new CrashTest(
                new CrashTest.Options(
                    tmp,
                    3,
                    2,
                    50,
                    50,
                    Duration.ofMillis(300),
                    Duration.ofMillis(1500),
                    System.nanoTime(),
                    List.of(),
                    "crash"),
                new PrintWriter(progress))
            .run();
    assertThat(report.failures()).as(progress.toString()).isEmpty();
    assertThat(report.kills()).isEqualTo(3);
    assertThat(report.eventsLost()).isZero();
    assertThat(report.rounds())
        .as("every round acknowledged new events before its kill")
        .allSatisfy(r -> assertThat(r.ackedInRound()).isPositive());
    assertThat(report.recoveryMillis()).hasSize(3);
  }
}
