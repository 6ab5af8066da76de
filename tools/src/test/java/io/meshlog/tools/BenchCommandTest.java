package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class BenchCommandTest {
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
  void badOptionIsReportedWithExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("bench", "--data-dir", dir.toString(), "--ring-size", "1000"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("invalid journal.ringSize = 1000");
  }
}
