package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandFailureHandlerTest {
  @TempDir Path dir;

  @Test
  void shouldReportUnreadableProjectionsWithItsOwnCode() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("projections", "verify", "--data-dir", dir.toString()))
        .isEqualTo(ExitCode.UNREADABLE);
    assertThat(err.toString()).startsWith("meshlog projections verify: ");
  }

  @Test
  void shouldPrintACommandsFailureUnderItsQualifiedNameWithItsCode() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("bench", "gossip", "--messages", "0")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString())
        .isEqualTo(
            "meshlog bench gossip: counts must be positive, --message-bytes at least 4"
                + System.lineSeparator());
  }

  @Test
  void shouldKeepTheCodeACommandChoseOverTheOneOfTheCausesType() {
    // journal dump documents 1 for a missing journal; a JournalException alone would map to 3.
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    Path missing = dir.resolve("nope");
    assertThat(cl.execute("journal", "dump", "--data-dir", missing.toString()))
        .isEqualTo(ExitCode.FAILED);
    assertThat(err.toString().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("meshlog journal dump: ")
                    .contains(missing.resolve("journal").toString())
                    .doesNotContain(CommandFailure.class.getName()));
  }

  @Test
  void shouldPrintACommandFailureAsItsMessageAlone() {
    StringWriter err = new StringWriter();
    CommandLine cl =
        new CommandLine(new Unreadable()).setExecutionExceptionHandler(new CommandFailureHandler());
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(err.toString()).isEqualTo("unreadable: no journal in /x" + System.lineSeparator());
  }

  @Test
  void shouldMapAnUnexpectedExceptionToInternalNamingIt() {
    StringWriter err = new StringWriter();
    CommandLine cl =
        new CommandLine(new Broken()).setExecutionExceptionHandler(new CommandFailureHandler());
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute()).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString()).contains("broken: java.lang.UnsupportedOperationException: no");
  }

  @Test
  void shouldGiveEveryExitCodeItsOwnValue() {
    assertThat(
            java.util.Set.of(
                ExitCode.OK,
                ExitCode.FAILED,
                ExitCode.USAGE,
                ExitCode.UNREADABLE,
                ExitCode.TARGET_MISSED,
                ExitCode.INTERNAL))
        .hasSize(6);
  }

  @Command(name = "unreadable")
  static final class Unreadable implements Callable<Integer> {
    @Override
    public Integer call() {
      throw CommandFailure.unreadable("no journal in /x");
    }
  }

  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UnsupportedOperationException("no");
    }
  }
}
