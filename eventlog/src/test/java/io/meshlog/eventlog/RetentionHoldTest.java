package io.meshlog.eventlog;

import static io.meshlog.eventlog.JournalFilesTest.cycleFiles;
import static io.meshlog.eventlog.JournalFilesTest.writeAcrossCycles;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestJournals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Retention honours what a retention hold (the Kafka shipper) has not read yet. */
@Timeout(60)
class RetentionHoldTest {
  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("journal");
  }

  private JournalConfig.Builder secondlyOverOneByte() {
    // retention.interval is long: the test runs retention itself, when it wants.
    return JournalConfig.builder(dir())
        .ringSize(1024)
        .rollCycle(JournalConfig.RollCycle.TEST_SECONDLY)
        .preallocateBytes(0)
        .retentionMaxBytes(1)
        .retentionInterval(Duration.ofHours(1));
  }

  @Test
  void shouldKeepUnreadCycleFilesAndLetReadOnesGo() throws Exception {
    try (Journal journal = Journals.open(secondlyOverOneByte().build(), List.of())) {
      writeAcrossCycles(journal, 4, 3);
      int files = cycleFiles(dir()).size();
      assertThat(files).isGreaterThanOrEqualTo(4);

      RetentionHold.write(dir(), "kafka", -1, "");
      TestJournals.runRetentionNow(journal);
      assertThat(cycleFiles(dir())).as("nothing read yet: everything kept").hasSize(files);
      assertThat(journal.counter(JournalCounter.CYCLES_DELETED)).isZero();

      // The holder read up to the third file's records: files before it may go, it stays.
      Path third = cycleFiles(dir()).get(2);
      RetentionHold.write(dir(), "kafka", 42, third.getFileName().toString());
      TestJournals.runRetentionNow(journal);
      assertThat(cycleFiles(dir())).first().isEqualTo(third);
      assertThat(journal.counter(JournalCounter.CYCLES_DELETED)).isEqualTo(2);
      assertThat(journal.counter(JournalCounter.UNSHIPPED_DELETED)).isZero();
      assertThat(RetentionHold.lastIndex(dir(), "kafka")).isEqualTo(42);
    }
  }

  @Test
  void shouldKeepFromTheOldestOfSeveralHolds() throws Exception {
    try (Journal journal = Journals.open(secondlyOverOneByte().build(), List.of())) {
      writeAcrossCycles(journal, 4, 3);
      List<Path> before = cycleFiles(dir());
      RetentionHold.write(dir(), "a", 1, before.get(3).getFileName().toString());
      RetentionHold.write(dir(), "b", 1, before.get(1).getFileName().toString());
      TestJournals.runRetentionNow(journal);
      assertThat(cycleFiles(dir())).first().isEqualTo(before.get(1));
    }
  }

  @Test
  void shouldKeepEverythingForAnUnreadableHold() throws Exception {
    try (Journal journal = Journals.open(secondlyOverOneByte().build(), List.of())) {
      writeAcrossCycles(journal, 3, 2);
      int files = cycleFiles(dir()).size();
      Path folder = RetentionHold.folder(dir());
      Files.createDirectories(folder);
      Files.write(folder.resolve("broken.hold"), new byte[] {'k', 'e', 'e', 'p', 'F'});
      TestJournals.runRetentionNow(journal);
      assertThat(cycleFiles(dir())).hasSize(files);
    }
  }

  @Test
  void shouldDeleteAllTheSameAndCountAndWarnOfItWithIgnoreHolds() throws Exception {
    Logger retention =
        (Logger) LoggerFactory.getLogger("io.meshlog.eventlog.journal.CycleFileRetention");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    retention.addAppender(log);
    try (Journal journal =
        Journals.open(secondlyOverOneByte().retentionIgnoreHolds(true).build(), List.of())) {
      writeAcrossCycles(journal, 4, 3);
      RetentionHold.write(dir(), "kafka", -1, "");
      TestJournals.runRetentionNow(journal);
      long deleted = journal.counter(JournalCounter.CYCLES_DELETED);
      assertThat(deleted).isGreaterThanOrEqualTo(3);
      // counted (the meter meshlog.journal.retention.unshipped.deleted) and said in the log
      assertThat(journal.counter(JournalCounter.UNSHIPPED_DELETED)).isEqualTo(deleted);
      List<String> warnings =
          log.list.stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(warnings).hasSize((int) deleted);
      assertThat(warnings)
          .allMatch(w -> w.contains("journal.retention.ignoreHolds=true") && w.contains(".cq4"));
    } finally {
      retention.detachAppender(log);
    }
  }

  @Test
  void shouldReadIgnoreHoldsAsASetting() {
    JournalConfig c =
        JournalConfig.fromProperties(
            dir(), java.util.Map.of("journal.retention.ignoreHolds", "true"));
    assertThat(c.retentionIgnoreHolds()).isTrue();
    assertThat(JournalConfig.fromProperties(dir(), java.util.Map.of()).retentionIgnoreHolds())
        .isFalse();
  }
}
