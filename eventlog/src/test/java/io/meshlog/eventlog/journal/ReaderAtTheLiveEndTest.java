package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers that read a live journal to its end, over and over, while its writer appends, on a
 * journal that is closed and reopened between rounds, as a node does when it restarts and replays
 * its journal while peers are already connecting. Chronicle's tailer can stop seeing a live
 * writer's records at its position (a directory reported its healthy journal CORRUPT this way, 2
 * restarts in 5 on a loaded machine); the reader must read through, every record once, in order.
 *
 * <p>The race is rare (about one read in a hundred and fifty here), so the default run does a short
 * version and the slow profile a long one; busy threads stand in for a loaded machine.
 */
@Timeout(600)
class ReaderAtTheLiveEndTest {
  private static final int RECORDS_PER_ROUND = 3000;
  private static final int READS_PER_ROUND = 5;

  @TempDir Path dir;

  @Test
  void shouldReadThroughWhileTheWriterAppendsAfterAReopen() throws Exception {
    readThroughFor(Duration.ofSeconds(8));
  }

  @Test
  @Tag("slow")
  void shouldReadThroughForMinutesOfReopens() throws Exception {
    readThroughFor(Duration.ofMinutes(3));
  }

  private void readThroughFor(Duration duration) throws Exception {
    AtomicBoolean busy = new AtomicBoolean(true);
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t =
          new Thread(
              () -> {
                long x = 0;
                while (busy.get()) {
                  x += System.nanoTime() & 7;
                }
                if (x == 42) {
                  System.out.print(""); // keeps the loop from being optimised away
                }
              },
              "busy-" + i);
      t.start();
      load.add(t);
    }
    long end = System.nanoTime() + duration.toNanos();
    int reads = 0;
    long written = 0;
    try {
      while (System.nanoTime() < end || reads == 0) {
        try (Journal journal =
            Journals.open(JournalConfig.builder(dir).ringSize(1024).build(), List.of())) {
          long first = written;
          Thread writer = new Thread(() -> write(journal, first), "writer");
          writer.start();
          for (int r = 0; r < READS_PER_ROUND; r++) {
            long before = journal.counter(JournalCounter.EVENTS_APPENDED);
            long read = readAll(journal);
            assertThat(read).as("records read in pass " + reads).isGreaterThanOrEqualTo(before);
            reads++;
          }
          writer.join();
          written += RECORDS_PER_ROUND;
        }
      }
    } finally {
      busy.set(false);
      for (Thread t : load) {
        t.join();
      }
    }
    try (JournalReader reader = Journals.openReader(dir)) {
      Event e = new Event();
      long n = 0;
      while (reader.next(e) >= 0) {
        n++;
      }
      assertThat(n).isEqualTo(written);
    }
  }

  private static void write(Journal journal, long first) {
    Event e = new Event().type(EventType.DELIVER_MESSAGE).topic("t").data(new byte[200]);
    for (long n = first; n < first + RECORDS_PER_ROUND; n++) {
      journal.sink().publish(e.originSeqno(n));
      LockSupport.parkNanos(100_000);
    }
  }

  /** Reads the journal from its start to its end; fails on a skipped or repeated record. */
  private static long readAll(Journal journal) {
    try (JournalReader reader = journal.reader()) {
      Event e = new Event();
      long n = 0;
      while (reader.next(e) >= 0) {
        assertThat(e.sequence()).as("node sequence of record " + n).isEqualTo(n);
        n++;
      }
      return n;
    }
  }
}
