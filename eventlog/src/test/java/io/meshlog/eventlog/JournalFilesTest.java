package io.meshlog.eventlog;

import static io.meshlog.eventlog.JournalTest.await;
import static io.meshlog.eventlog.JournalTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestJournals;
import io.meshlog.eventlog.testing.ExpectErrorLogs;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cycle files on disk: rolling, retention, and damaged files. */
// Chronicle logs an ERROR each time a reader finds its cycle file deleted; the reader steps over
// it.
@ExpectErrorLogs("deleted from under the queue")
@Timeout(60)
class JournalFilesTest {
  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("journal");
  }

  static List<Path> cycleFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
    }
  }

  private JournalConfig.Builder secondly() {
    return JournalConfig.builder(dir())
        .ringSize(1024)
        .rollCycle(JournalConfig.RollCycle.TEST_SECONDLY)
        .preallocateBytes(4 << 20)
        .retentionInterval(Duration.ofMillis(50));
  }

  /**
   * Publishes {@code perCycle} events into each of {@code cycles} consecutive roll cycles (one
   * second each with TEST_SECONDLY): each batch goes out once the clock has entered a cycle after
   * the one the previous batch was written in. Returns how many events it published; their origin
   * seqnos are 0, 1, 2... A stall of a second in the middle of a batch spreads it over two cycles,
   * so callers that need the events of each cycle read them back.
   */
  static int writeAcrossCycles(Journal journal, int cycles, int perCycle) throws Exception {
    JournalConfig.RollCycle rollCycle = JournalConfig.RollCycle.TEST_SECONDLY;
    int start = TestJournals.currentCycle(rollCycle);
    await(() -> TestJournals.currentCycle(rollCycle) > start);
    int n = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      for (int i = 0; i < perCycle; i++) {
        journal.sink().publish(message(0, n++));
      }
      int written = n;
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == written);
      int last = TestJournals.cycleOf(rollCycle, journal.appendedIndex());
      if (cycle < cycles - 1) {
        await(() -> TestJournals.currentCycle(rollCycle) > last);
      }
    }
    return n;
  }

  @Test
  void shouldDeleteOldestClosedCyclesButNeverTheCurrentOneByRetentionSize() throws Exception {
    try (Journal journal = Journals.open(secondly().retentionMaxBytes(1).build(), List.of())) {
      int written = writeAcrossCycles(journal, 4, 3);
      await(() -> journal.counter(JournalCounter.CYCLES_DELETED) >= 2);
      assertThat(journal.counter(JournalCounter.BYTES_DELETED)).isPositive();
      // The newest events are still there, in order, and the journal still takes events.
      journal.sink().publish(message(0, written));
      await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) == written + 1);
      // Retention goes on deleting every 50 ms while the reader reads; whatever it deletes under
      // the reader is stepped over and counted, never an error.
      try (JournalReader reader = journal.reader()) {
        Event e = new Event();
        long first = -1;
        long last = -1;
        int count = 0;
        while (reader.next(e) >= 0) {
          if (first < 0) {
            first = e.sequence();
          }
          assertThat(e.sequence()).isGreaterThan(last);
          last = e.sequence();
          count++;
        }
        assertThat(first).as("the oldest events were deleted").isPositive();
        assertThat(last).as("the newest cycle is never deleted").isEqualTo(written);
        assertThat(count + reader.eventsDeletedUnderReader()).isEqualTo(last - first + 1);
      }
    }
  }

  @Test
  void shouldKeepYoungFilesUnderRetentionByAge() throws Exception {
    try (Journal journal =
        Journals.open(secondly().retentionMaxAge(Duration.ofMinutes(5)).build(), List.of())) {
      writeAcrossCycles(journal, 3, 3);
      TestJournals.runRetentionNow(journal);
      assertThat(journal.counter(JournalCounter.CYCLES_DELETED)).isZero();
      assertThat(cycleFiles(dir())).hasSizeGreaterThanOrEqualTo(3);
    }
    try (Journal journal =
        Journals.open(secondly().retentionMaxAge(Duration.ofMillis(1500)).build(), List.of())) {
      writeAcrossCycles(journal, 6, 3);
      await(() -> journal.counter(JournalCounter.CYCLES_DELETED) >= 3);
      assertThat(cycleFiles(dir())).isNotEmpty();
    }
  }

  @Test
  void shouldKeepOneSequenceAcrossCycleFilesWhenRolling() throws Exception {
    int written;
    try (Journal journal = Journals.open(secondly().build(), List.of())) {
      written = writeAcrossCycles(journal, 3, 3);
    }
    assertThat(cycleFiles(dir()).size()).isGreaterThanOrEqualTo(3);
    try (JournalReader reader = Journals.openReader(dir())) {
      Event e = new Event();
      long previous = -1;
      int n = 0;
      long index;
      while ((index = reader.next(e)) >= 0) {
        assertThat(index).isGreaterThan(previous);
        assertThat(e.sequence()).isEqualTo(n);
        previous = index;
        n++;
      }
      assertThat(n).isEqualTo(written);
    }
  }

  @Test
  void shouldReportACorruptCycleFileWithItsName() throws Exception {
    try (Journal journal = Journals.open(JournalConfig.builder(dir()).build(), List.of())) {
      for (int n = 0; n < 1000; n++) {
        journal.sink().publish(message(0, n));
      }
    }
    Path file = cycleFiles(dir()).get(0);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      // Overwrite records in the middle of the data, headers included, with garbage.
      byte[] head = new byte[4 << 20];
      raf.readFully(head);
      int at = indexOf(head, "p0-500".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(at).isPositive();
      raf.seek(at - 64);
      byte[] junk = new byte[512];
      java.util.Arrays.fill(junk, (byte) 0x5A);
      raf.write(junk);
    }
    assertThatThrownBy(
            () -> {
              try (JournalReader reader = Journals.openReader(dir())) {
                Event e = new Event();
                while (reader.next(e) >= 0) {
                  // read everything
                }
              }
            })
        .isInstanceOf(JournalException.class)
        .satisfies(
            t ->
                assertThat(((JournalException) t).reason())
                    .isEqualTo(JournalException.Reason.CORRUPT))
        .hasMessageContaining(file.getFileName().toString());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void shouldReportATruncatedCycleFileWithItsName() throws Exception {
    try (Journal journal = Journals.open(JournalConfig.builder(dir()).build(), List.of())) {
      for (int n = 0; n < 1000; n++) {
        journal.sink().publish(message(0, n));
      }
    }
    Path file = cycleFiles(dir()).get(0);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(100);
    }
    assertThatThrownBy(
            () -> {
              try (JournalReader reader = Journals.openReader(dir())) {
                Event e = new Event();
                while (reader.next(e) >= 0) {
                  // read everything
                }
              }
            })
        .isInstanceOf(JournalException.class)
        .hasMessageContaining(file.getFileName().toString());
  }
}
