package io.meshlog.eventlog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlog.eventlog.disk.Journals;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The journal reader on a damaged cycle file: a real journal of a few hundred events, with bytes of
 * its cycle file overwritten where the input says (pairs of a 2-byte offset into the written part
 * and a byte). Reading it start to end must end, and either succeed or fail with {@link
 * JournalException}; never another exception, never more records than were written.
 *
 * <p>The damage is undone after every input, so one journal serves the whole run.
 */
class JournalDamageFuzzTest {

  private static final int EVENTS = 300;
  private static Path dir;
  private static Path cycle;
  private static byte[] pristine;

  @FuzzTest(maxDuration = "10m")
  void shouldReadADamagedCycleOrReportItAsCorrupt(byte[] damage) {
    fuzzerTestOneInput(damage);
  }

  /**
   * Found by this target: a damaged cycle header made Chronicle throw StreamCorruptedException (a
   * checked exception, thrown unchecked) out of {@link Journals#openReader}; it is CORRUPT now.
   */
  @Test
  void shouldReportADamagedCycleHeaderAsCorrupt() {
    fuzzerTestOneInput(new byte[] {1, 6, 0, 0, 4, (byte) 0xff, 2, (byte) 0xff, 0});
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] damage) {
    setUp();
    int patches = damage.length / 3;
    try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
      for (int i = 0; i < patches; i++) {
        int offset = (((damage[3 * i] & 0xFF) << 8) | (damage[3 * i + 1] & 0xFF)) % pristine.length;
        f.seek(offset);
        f.write(damage[3 * i + 2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (JournalReader r = Journals.openReader(dir)) {
      Event e = new Event();
      long read = 0;
      while (r.next(e.clear()) >= 0) {
        if (++read > EVENTS) {
          throw new AssertionError("read more records than were written");
        }
      }
    } catch (JournalException rejected) {
      // our rejection: CORRUPT (or the like), with the file named
    } finally {
      restore();
    }
  }

  private static synchronized void setUp() {
    if (dir != null) {
      return;
    }
    try {
      dir = Files.createTempDirectory("meshlog-fuzz-journal");
      dir.toFile().deleteOnExit();
      try (Journal j = Journals.open(JournalConfig.builder(dir).build(), List.of())) {
        for (int i = 0; i < EVENTS; i++) {
          j.sink()
              .publish(
                  new Event()
                      .type(i % 2 == 0 ? EventType.RECV_RPC : EventType.DELIVER_MESSAGE)
                      .timeNanos(1_700_000_000_000_000_000L + i)
                      .peer(new byte[] {1, 2, 3, (byte) i})
                      .topic("lobby")
                      .lamport(i + 1)
                      .text("line " + i));
        }
      }
      try (Stream<Path> files = Files.list(dir)) {
        cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
      }
      // The written part: up to the last non-zero byte of the first 64 KiB (the rest is sparse).
      byte[] head;
      try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "r")) {
        head = new byte[(int) Math.min(f.length(), 65_536)];
        f.readFully(head);
      }
      int end = head.length;
      while (end > 1 && head[end - 1] == 0) {
        end--;
      }
      pristine = java.util.Arrays.copyOf(head, end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void restore() {
    try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
      f.seek(0);
      f.write(pristine);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
