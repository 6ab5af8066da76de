package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalCycle;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.tools.Main;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog journal export} on the journal of a node that is still writing: event k is a
 * delivery of message k at T0 + k ms, after NODE_STARTED, JOIN chat and a GRAFT.
 */
@Timeout(60)
class JournalExportCommandTest {
  private static final long T0 = 1_763_750_000_000_000_000L;
  private static final long MS = 1_000_000L;

  @TempDir Path tmp;

  private final byte[] self = peer(1);
  private final byte[] other = peer(2);

  private static byte[] peer(int seed) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[2] = 8;
    id[3] = 1;
    id[4] = 18;
    id[5] = 32;
    for (int i = 6; i < id.length; i++) {
      id[i] = (byte) (seed * 31 + i * 7);
    }
    return id;
  }

  private Event event(long k) {
    if (k == 0) {
      return new Event().type(EventType.NODE_STARTED).peer(self).text("meshlog/test").timeNanos(T0);
    }
    if (k == 1) {
      return new Event().type(EventType.JOIN).topic("chat").timeNanos(T0 + MS);
    }
    if (k == 2) {
      return new Event()
          .type(EventType.GRAFT)
          .topic("chat")
          .peer(other)
          .direction(Direction.OUTBOUND)
          .timeNanos(T0 + 2 * MS);
    }
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .topic("chat")
        .peer(other)
        .origin(other)
        .originSeqno(k)
        .lamport(k)
        .messageId(new byte[] {(byte) (k >> 16), (byte) (k >> 8), (byte) k})
        .data(new byte[] {1})
        .size(1)
        .timeNanos(T0 + k * MS);
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * The records of a journal, without the JOURNAL_CYCLE records its writer adds when a write
   * straddles an hour boundary (none of the test's own).
   */
  private static List<Event> read(Path journalDir) {
    return read(journalDir, false);
  }

  private static List<Event> read(Path journalDir, boolean withCycles) {
    List<Event> events = new ArrayList<>();
    try (JournalReader r = Journals.openReader(journalDir)) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (!withCycles && e.type() == EventType.JOURNAL_CYCLE) {
          continue;
        }
        events.add(
            new Event()
                .copyFrom(e)
                .peer(e.peer() == null ? null : e.peer().clone())
                .messageId(e.messageId() == null ? null : e.messageId().clone()));
        e = new Event();
      }
    }
    return events;
  }

  @Test
  void shouldCopyAWindowOfAJournalBeingWrittenThatReplayReads() throws Exception {
    Path node = tmp.resolve("node");
    AtomicBoolean stop = new AtomicBoolean();
    long written;
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(node.resolve("journal"))
                .ringSize(256)
                .preallocateBytes(0)
                .build(),
            List.of())) {
      Thread writer =
          new Thread(
              () -> {
                // writes until the test is done, at a pace that keeps the journal small: a
                // writer that finished early would leave "the node goes on writing" unmet
                for (long k = 0; !stop.get(); k++) {
                  journal.sink().publish(event(k));
                  if (k % 100 == 99) {
                    LockSupport.parkNanos(MS);
                  }
                }
              },
              "test-node-writer");
      writer.start();
      try {
        Await.until(
            "3000 events journaled",
            Duration.ofSeconds(30),
            () -> journal.counter(JournalCounter.EVENTS_APPENDED) >= 3000);
        Run r =
            run(
                "journal",
                "export",
                "--data-dir",
                node.toString(),
                "--from",
                Long.toString(T0 + 1000 * MS),
                "--to",
                "2030-01-01T00:00:00Z",
                "--out",
                tmp.resolve("export").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("preamble 3");
        // the node is still writing
        long before = journal.counter(JournalCounter.EVENTS_APPENDED);
        Await.until(
            "the node goes on writing",
            () -> journal.counter(JournalCounter.EVENTS_APPENDED) > before);
      } finally {
        stop.set(true);
        writer.join(10_000);
      }
      written = journal.counter(JournalCounter.EVENTS_APPENDED);
    }

    List<Event> copy = read(tmp.resolve("export").resolve("journal"));
    assertThat(copy.get(0).type()).isEqualTo(EventType.NODE_STARTED);
    assertThat(copy.get(0).peer()).isEqualTo(self);
    assertThat(copy.get(0).timeNanos()).isEqualTo(T0 + 1000 * MS);
    assertThat(copy.get(1).type()).isEqualTo(EventType.JOIN);
    assertThat(copy.get(2).type()).isEqualTo(EventType.GRAFT);
    assertThat(copy.get(2).peer()).isEqualTo(other);
    // then a prefix of the window, whole and in order: message 1000, 1001, ... none missing
    List<Event> window = copy.subList(3, copy.size());
    assertThat(window.size()).isGreaterThanOrEqualTo(2000).isLessThan((int) written);
    for (int i = 0; i < window.size(); i++) {
      Event e = window.get(i);
      long k = 1000 + i;
      assertThat(e.type()).isEqualTo(EventType.DELIVER_MESSAGE);
      assertThat(e.timeNanos()).isEqualTo(T0 + k * MS);
      assertThat(e.messageId()).isEqualTo(event(k).messageId());
    }
    assertThat(Files.exists(tmp.resolve("export.partial"))).isFalse();

    ReplayReport report =
        ReplayAnalysis.analyze(List.of(tmp.resolve("export")), ReplayOptions.defaults());
    assertThat(report.nodes())
        .extracting(ReplayReport.NodeSummary::node)
        .containsExactly(Base58.encode(self));
    assertThat(report.summary().messages()).isEqualTo(window.size());
  }

  /**
   * Retention deleted the start of the node's journal: its NODE_STARTED, JOIN and GRAFT are gone,
   * and the journal's JOURNAL_CYCLE record says whose it is and what it was subscribed to. The copy
   * starts with that record, a JOIN and a GRAFT, and replay of the copy knows the node.
   */
  @Test
  void shouldStartTheCopyFromAJournalCycleRecordWhenTheStartIsGone() {
    Path node = tmp.resolve("node");
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(node.resolve("journal")).ringSize(64).preallocateBytes(0).build(),
            List.of())) {
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.JOURNAL_CYCLE)
                  .peer(self)
                  .text("meshlog/test")
                  .timeNanos(T0 + 3 * MS)
                  .data(
                      new JournalCycle(List.of(new JournalCycle.Topic("chat", List.of(other))))
                          .encode()));
      for (long k = 3; k < 2000; k++) {
        journal.sink().publish(event(k));
      }
    }
    Path out = tmp.resolve("window");
    Run r =
        run(
            "journal",
            "export",
            "--data-dir",
            node.toString(),
            "--from",
            Long.toString(T0 + 1000 * MS),
            "--to",
            Long.toString(T0 + 1500 * MS),
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("preamble 3");
    List<Event> copy = read(out.resolve("journal"), true);
    assertThat(copy.get(0).type()).isEqualTo(EventType.JOURNAL_CYCLE);
    assertThat(copy.get(0).peer()).isEqualTo(self);
    assertThat(copy.get(0).timeNanos()).isEqualTo(T0 + 1000 * MS);
    assertThat(copy.get(1).type()).isEqualTo(EventType.JOIN);
    assertThat(copy.get(1).topic()).isEqualTo("chat");
    assertThat(copy.get(2).type()).isEqualTo(EventType.GRAFT);
    assertThat(copy.get(2).peer()).isEqualTo(other);

    ReplayReport report = ReplayAnalysis.analyze(List.of(out), ReplayOptions.defaults());
    assertThat(report.nodes())
        .extracting(ReplayReport.NodeSummary::node)
        .containsExactly(Base58.encode(self));
    assertThat(report.summary().messages()).isEqualTo(501);
  }

  @Test
  void shouldCutTheWindowAtBothEndsAndNeverOverwrite() {
    Path node = tmp.resolve("node");
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(node.resolve("journal")).ringSize(64).preallocateBytes(0).build(),
            List.of())) {
      for (long k = 0; k < 2000; k++) {
        journal.sink().publish(event(k));
      }
    }
    Path out = tmp.resolve("window");
    String[] args = {
      "journal",
      "export",
      "--data-dir",
      node.toString(),
      "--from",
      Long.toString(T0 + 1000 * MS),
      "--to",
      Long.toString(T0 + 1500 * MS),
      "--out",
      out.toString()
    };
    Run r = run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    List<Event> copy = read(out.resolve("journal"));
    assertThat(copy).hasSize(3 + 501);
    assertThat(copy.get(copy.size() - 1).timeNanos()).isEqualTo(T0 + 1500 * MS);

    Run again = run(args);
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err()).contains(out.toString()).contains("not empty");
    assertThat(read(out.resolve("journal"))).hasSize(3 + 501);

    assertThat(
            run(
                    "journal",
                    "export",
                    "--data-dir",
                    node.toString(),
                    "--from",
                    "later",
                    "--to",
                    "1",
                    "--out",
                    tmp.resolve("x").toString())
                .exit())
        .isEqualTo(ExitCode.USAGE);
  }
}
