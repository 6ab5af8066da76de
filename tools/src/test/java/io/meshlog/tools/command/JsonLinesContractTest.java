package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code --format json} output is strict JSON lines: each line is one complete object that
 * starts with <code>{</code>, so {@code grep '^{'} and line-at-a-time readers see every record.
 */
@Timeout(60)
class JsonLinesContractTest {
  @TempDir Path dataDir;

  private final byte[] self = peer(1);
  private final byte[] other = peer(2);

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  @BeforeEach
  void writeJournal() throws Exception {
    long t0 = 1_763_750_000_000_000_000L;
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(dataDir.resolve("journal")).ringSize(64).build(), List.of())) {
      journal
          .sink()
          .publish(
              new Event().type(EventType.NODE_STARTED).timeNanos(t0).peer(self).text("meshlog"));
      journal.sink().publish(new Event().type(EventType.JOIN).timeNanos(t0 + 1).topic("chat"));
      for (int m = 0; m < 3; m++) {
        journal
            .sink()
            .publish(
                new Event()
                    .type(EventType.DELIVER_MESSAGE)
                    .timeNanos(t0 + 1_000_000L * (m + 2))
                    .peer(other)
                    .topic("chat")
                    .messageId(new byte[] {(byte) m, 7})
                    .origin(other)
                    .originSeqno(m + 1)
                    .lamport(m + 1)
                    .size(3)
                    .data(new byte[] {1, 2, 3}));
      }
      Await.until(
          "five events journaled", () -> journal.counter(JournalCounter.EVENTS_APPENDED) >= 5);
    }
  }

  @Test
  void shouldPrintOneObjectOnOneLineFromHealth() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    // No node runs in this directory: failed, in one line all the same.
    int exit = cl.execute("health", "--data-dir", dataDir.toString(), "--format", "json");
    assertThat(exit).isEqualTo(2);
    assertThat(assertStrictJsonLines(out.toString())).isEqualTo(1);
  }

  @Test
  void shouldPrintNoPartialObjectFromTopWhenNoNodeAnswers() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // A running node's JSON lines are checked in TopIT; without one, stdout stays empty.
    int exit = cl.execute("top", "--data-dir", dataDir.toString(), "--once", "--format", "json");
    assertThat(exit).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("no node running in " + dataDir);
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    assertThat(exit).as(String.join(" ", args) + ": " + err).isZero();
    return out.toString();
  }

  private static int assertStrictJsonLines(String output) throws Exception {
    return StrictJsonLines.parse(output).size();
  }

  @Test
  void shouldPrintOneObjectPerLineFromJournalDump() throws Exception {
    String out = run("journal", "dump", "--data-dir", dataDir.toString(), "--format", "json");
    assertThat(assertStrictJsonLines(out)).isEqualTo(5);
  }

  @Test
  void shouldPrintOneObjectOnOneLineFromStats() throws Exception {
    run("projections", "rebuild", "--data-dir", dataDir.toString());
    String out = run("stats", "--data-dir", dataDir.toString(), "--format", "json");
    assertThat(assertStrictJsonLines(out)).isEqualTo(1);
  }

  @Test
  void shouldPrintOneObjectPerLineFromReplay() throws Exception {
    String out = run("replay", "--data-dir", dataDir.toString(), "--format", "json");
    // three messages and the summary at least
    assertThat(assertStrictJsonLines(out)).isGreaterThanOrEqualTo(4);
  }
}
