package io.meshlog.eventlog;

import static io.meshlog.eventlog.JournalFilesTest.cycleFiles;
import static io.meshlog.eventlog.JournalFilesTest.writeAcrossCycles;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestJournals;
import io.meshlog.eventlog.testing.ExpectErrorLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Readers whose cycle files retention deletes while they read: they go on at the next cycle that
 * exists and report how many events they stepped over. Retention runs synchronously here, on cycle
 * files the test has aged, so what is deleted, and when, is fixed.
 */
// Chronicle logs an ERROR each time a reader finds its cycle file deleted; the reader steps over
// it.
@ExpectErrorLogs("deleted from under the queue")
@Timeout(60)
class ReaderUnderRetentionTest {
  private static final JournalConfig.RollCycle SECONDLY = JournalConfig.RollCycle.TEST_SECONDLY;

  @TempDir Path tmp;

  /** The readers an operator's tools use: in the node's process, or in one of their own. */
  enum ReaderKind {
    READER(Journal::reader),
    NAMED_TAILER(journal -> journal.tailer("sync")),
    OTHER_PROCESS(journal -> Journals.openReader(journal.dir()));

    private final Function<Journal, JournalReader> open;

    ReaderKind(Function<Journal, JournalReader> open) {
      this.open = open;
    }
  }

  /** Retention by age (one hour), run only when a test says so. */
  private Journal open() {
    JournalConfig config =
        JournalConfig.builder(tmp.resolve("journal"))
            .ringSize(1024)
            .rollCycle(SECONDLY)
            .preallocateBytes(4 << 20)
            .retentionMaxAge(Duration.ofHours(1))
            .retentionInterval(Duration.ofHours(1))
            .build();
    return Journals.open(config, List.of());
  }

  @ParameterizedTest
  @EnumSource(ReaderKind.class)
  void shouldStepOverCyclesDeletedUnderTheReaderAndCountTheEventsItMissed(ReaderKind kind)
      throws Exception {
    try (Journal journal = open()) {
      writeAcrossCycles(journal, 4, 3);
      List<List<Long>> cycles = sequencesByCycle(journal);
      assertThat(cycles).hasSizeGreaterThanOrEqualTo(4);
      assertThat(cycles.get(0)).hasSizeGreaterThanOrEqualTo(2);
      try (JournalReader reader = kind.open.apply(journal)) {
        Event e = new Event();
        assertThat(reader.next(e)).isNotNegative();
        assertThat(e.sequence()).isEqualTo(cycles.get(0).get(0));

        deleteOldestCycles(journal, 2);

        // The reader is in the first cycle: what is left of it is still mapped and is read. The
        // second cycle it never entered: its events are stepped over, and counted.
        List<Long> expected = new ArrayList<>(cycles.get(0).subList(1, cycles.get(0).size()));
        expected.addAll(flatten(cycles.subList(2, cycles.size())));
        assertThat(readRest(reader)).isEqualTo(expected);
        assertThat(reader.eventsDeletedUnderReader()).isEqualTo(cycles.get(1).size());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ReaderKind.class)
  void shouldStartAReaderThatReadNothingAtTheOldestCycleLeftMissingNothing(ReaderKind kind)
      throws Exception {
    try (Journal journal = open()) {
      writeAcrossCycles(journal, 4, 3);
      List<List<Long>> cycles = sequencesByCycle(journal);
      assertThat(cycles).hasSizeGreaterThanOrEqualTo(4);
      try (JournalReader reader = kind.open.apply(journal)) {
        deleteOldestCycles(journal, 2);

        assertThat(readRest(reader)).isEqualTo(flatten(cycles.subList(2, cycles.size())));
        // Events deleted before a reader's first one are behind the retention horizon: the
        // reader never had them to miss.
        assertThat(reader.eventsDeletedUnderReader()).isZero();
      }
    }
  }

  @Test
  void shouldCountWhatRetentionDeletedPastTheIndexAReaderIsPositionedAfter() throws Exception {
    try (Journal journal = open()) {
      writeAcrossCycles(journal, 4, 3);
      List<List<Long>> cycles = sequencesByCycle(journal);
      assertThat(cycles).hasSizeGreaterThanOrEqualTo(4);
      long endOfFirstCycle = -1;
      try (JournalReader first = journal.reader()) {
        for (int i = 0; i < cycles.get(0).size(); i++) {
          endOfFirstCycle = first.next(new Event());
        }
      }
      try (JournalReader reader = Journals.openReader(journal.dir())) {
        reader.toAfter(endOfFirstCycle);

        deleteOldestCycles(journal, 2);

        assertThat(readRest(reader)).isEqualTo(flatten(cycles.subList(2, cycles.size())));
        assertThat(reader.eventsDeletedUnderReader()).isEqualTo(cycles.get(1).size());
      }
    }
  }

  /** The node sequences in the journal, one list per roll cycle, oldest cycle first. */
  private static List<List<Long>> sequencesByCycle(Journal journal) {
    TreeMap<Integer, List<Long>> byCycle = new TreeMap<>();
    try (JournalReader reader = journal.reader()) {
      Event e = new Event();
      long index;
      while ((index = reader.next(e)) >= 0) {
        byCycle
            .computeIfAbsent(TestJournals.cycleOf(SECONDLY, index), c -> new ArrayList<>())
            .add(e.sequence());
      }
    }
    return new ArrayList<>(byCycle.values());
  }

  /** Ages the oldest {@code n} cycle files past the maximum age and runs retention once. */
  private static void deleteOldestCycles(Journal journal, int n) throws Exception {
    List<Path> files = cycleFiles(journal.dir());
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (Path file : files.subList(0, n)) {
      Files.setLastModifiedTime(file, old);
    }
    TestJournals.runRetentionNow(journal);
    assertThat(journal.counter(JournalCounter.CYCLES_DELETED)).isEqualTo(n);
    assertThat(cycleFiles(journal.dir())).isEqualTo(files.subList(n, files.size()));
  }

  private static List<Long> readRest(JournalReader reader) {
    List<Long> sequences = new ArrayList<>();
    Event e = new Event();
    while (reader.next(e) >= 0) {
      sequences.add(e.sequence());
    }
    return sequences;
  }

  private static List<Long> flatten(List<List<Long>> lists) {
    return lists.stream().flatMap(List::stream).toList();
  }
}
