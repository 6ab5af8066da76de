package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalHealth;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link FullDiskTest}, run on a small tmpfs of its own: a journal written at
 * a steady rate while a ballast file fills the file system, then the ballast deleted. Prints {@code
 * FULL}, {@code RESUMED} and a {@code RESULT} line with what it published and what the journal
 * holds when read back from the start; exits 1 on any damage.
 *
 * <p>Modes: {@code preallocator} (free-space guard off: the preallocator's {@code fallocate} meets
 * the real ENOSPC) and {@code guard} ({@code journal.minFreeBytes} = 8 MiB: the guard stops writing
 * first).
 */
public final class FullDiskRun {
  static final int DATA_BYTES = 512;

  private FullDiskRun() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    boolean guard = args[1].equals("guard");
    Path dir = root.resolve("journal");
    Path ballast = root.resolve("ballast");
    JournalConfig config =
        JournalConfig.builder(dir)
            .ringSize(4096)
            .preallocateBytes(4 << 20)
            .minFreeBytes(guard ? 8 << 20 : 0)
            .build();
    AtomicLong published = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    try (Journal journal = Journals.open(config, List.of())) {
      Thread producer =
          new Thread(
              () -> {
                Event e = new Event();
                for (long n = 0; running.get(); n++) {
                  journal.sink().publish(message(e, n));
                  published.incrementAndGet();
                  LockSupport.parkNanos(50_000);
                }
              },
              "producer");
      producer.start();
      Await.until("1000 events written", () -> appended(journal) >= 1000);

      fill(ballast, guard ? 6L << 20 : 0);
      Await.until("the journal to report STORAGE_FULL", () -> isFull(journal.health()));
      System.out.println("FULL " + journal.health().reason());
      Await.until(
          "events to be counted as not journaled",
          () -> journal.counter(JournalCounter.EVENTS_NOT_JOURNALED) >= 500);

      Files.delete(ballast);
      long before = appended(journal);
      Await.until(
          "the journal to write again",
          () ->
              journal.health().state() == JournalHealth.State.OK
                  && appended(journal) >= before + 1000);
      System.out.println("RESUMED");
      running.set(false);
      producer.join();
      Await.until(
          "the ring to drain",
          () ->
              journal.counter(JournalCounter.EVENTS_APPENDED)
                      + journal.counter(JournalCounter.EVENTS_NOT_JOURNALED)
                  >= published.get());
      System.out.println(
          "COUNTER notJournaled=" + journal.counter(JournalCounter.EVENTS_NOT_JOURNALED));
    }
    System.exit(readBack(dir, published.get()) ? 0 : 1);
  }

  private static boolean readBack(Path dir, long published) {
    BitSet seen = new BitSet();
    long written = 0;
    long markers = 0;
    long marked = 0;
    long sequence = 0;
    boolean ok = true;
    try (JournalReader reader = Journals.openReader(dir)) {
      Event e = new Event();
      while (reader.next(e) >= 0) {
        if (e.sequence() != sequence++) {
          System.out.println("DAMAGE sequence " + e.sequence() + " where " + (sequence - 1));
          ok = false;
        }
        if (e.type() == EventType.EVENTS_NOT_JOURNALED) {
          markers++;
          marked += e.value();
          continue;
        }
        long n = e.originSeqno();
        if (!intact(e, n) || seen.get((int) n)) {
          System.out.println("DAMAGE event " + n);
          ok = false;
        }
        seen.set((int) n);
        written++;
      }
    } catch (JournalException e) {
      System.out.println("DAMAGE " + e.getMessage());
      ok = false;
    }
    System.out.println(
        "RESULT published="
            + published
            + " written="
            + written
            + " markers="
            + markers
            + " marked="
            + marked);
    return ok;
  }

  private static Event message(Event e, long n) {
    byte[] data = new byte[DATA_BYTES];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (n + i);
    }
    return e.clear().type(EventType.DELIVER_MESSAGE).topic("chat").originSeqno(n).data(data);
  }

  private static boolean intact(Event e, long n) {
    byte[] data = e.data();
    if (data == null || data.length != DATA_BYTES) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (data[i] != (byte) (n + i)) {
        return false;
      }
    }
    return true;
  }

  private static long appended(Journal journal) {
    return journal.counter(JournalCounter.EVENTS_APPENDED);
  }

  private static boolean isFull(JournalHealth h) {
    return h.state() == JournalHealth.State.FAILED
        && h.failure() == JournalException.Reason.STORAGE_FULL;
  }

  /** Writes the ballast until the file system has at most {@code leave} bytes free, or none. */
  private static void fill(Path ballast, long leave) throws IOException {
    byte[] chunk = new byte[256 << 10];
    try (FileOutputStream out = new FileOutputStream(ballast.toFile())) {
      while (Files.getFileStore(ballast).getUsableSpace() > leave) {
        out.write(chunk);
      }
    } catch (IOException noSpace) {
      // ENOSPC: the file system is full, which is the point.
    }
  }
}
