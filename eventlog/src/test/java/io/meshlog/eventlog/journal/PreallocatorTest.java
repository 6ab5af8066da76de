package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preallocator keeps file blocks allocated ahead of the writer in proportion to how fast the
 * writer goes: an idle cycle file stays small on disk, a busy one has its next second of writing
 * allocated before the writer gets there, and data already written is never changed.
 */
@Timeout(60)
class PreallocatorTest {
  private static final long MIB = 1L << 20;
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path tmp;

  private final CounterSet<JournalCounter> counters = CounterSet.of(JournalCounter.class);
  private final JournalState state = new JournalState();

  @Test
  void shouldKeepAnIdleCycleFileSmallOnDisk() throws Exception {
    assumeTrue(isLinux(), "allocated size is read with du");
    Path dir = tmp.resolve("journal");
    JournalConfig config = JournalConfig.builder(dir).ringSize(1024).build();
    assertThat(config.preallocateBytes()).isEqualTo(64 * MIB);
    try (Journal journal = Journals.open(config, List.of())) {
      for (int i = 0; i < 10; i++) {
        journal.sink().publish(chat(i));
      }
      Await.until(
          "10 events appended", () -> journal.counter(JournalCounter.EVENTS_APPENDED) == 10);
      Await.until(
          "the first preallocation step",
          () -> journal.counter(JournalCounter.BYTES_PREALLOCATED) > 0);
      Path cycle = onlyCycleFile(dir);
      // Chronicle's own header and index pages plus a lead of 1-2 MiB; 64 MiB before.
      assertThat(allocatedBytes(cycle)).isLessThan(4 * MIB);
      assertThat(journal.counter(JournalCounter.BYTES_PREALLOCATED)).isLessThanOrEqualTo(3 * MIB);
    }
    try (JournalReader reader = Journals.openReader(dir)) {
      Event e = new Event();
      int n = 0;
      while (reader.next(e) >= 0) {
        assertThat(new String(e.data(), StandardCharsets.UTF_8)).isEqualTo("hello " + n++);
      }
      assertThat(n).isEqualTo(10);
    }
  }

  @Test
  void shouldAllocateAboutOneSecondOfWritingAheadOfABusyWriter() throws Exception {
    assumeTrue(isLinux(), "allocated size is read with du");
    Path file = sparseFile(512 * MIB);
    MovableWriter writer = new MovableWriter(file.toFile());
    Preallocator p = new Preallocator(writer, 64 * MIB, counters, state);
    long now = 0;
    p.step(now);
    assertThat(p.lead()).isEqualTo(Preallocator.MIN_LEAD);

    // 40 MiB/s for two seconds, stepped every 10 ms as the thread would be when busy.
    for (int i = 0; i < 200; i++) {
      now += 10_000_000L;
      writer.position += 40 * MIB / 100;
      while (p.step(now)) {
        // allocate until the lead is covered
      }
    }
    assertThat(p.lead()).isBetween(36 * MIB, 44 * MIB);
    assertThat(allocatedBytes(file)).isGreaterThanOrEqualTo(writer.position + 36 * MIB);
    assertThat(state.failure()).isNull();
  }

  @Test
  void shouldNeverLeadMoreThanTheSetting() throws Exception {
    Path file = sparseFile(256 * MIB);
    MovableWriter writer = new MovableWriter(file.toFile());
    Preallocator p = new Preallocator(writer, 8 * MIB, counters, state);
    long now = 0;
    for (int i = 0; i < 100; i++) {
      now += 10_000_000L;
      writer.position += MIB;
      while (p.step(now)) {
        // allocate until the lead is covered
      }
    }
    assertThat(p.lead()).isEqualTo(8 * MIB);
    assertThat(counters.get(JournalCounter.BYTES_PREALLOCATED))
        .isLessThanOrEqualTo(writer.position + 9 * MIB);
  }

  @Test
  void shouldShrinkTheLeadBackWhenTheWriterGoesQuiet() throws Exception {
    Path file = sparseFile(512 * MIB);
    MovableWriter writer = new MovableWriter(file.toFile());
    Preallocator p = new Preallocator(writer, 64 * MIB, counters, state);
    long now = 0;
    for (int i = 0; i < 100; i++) {
      now += 10_000_000L;
      writer.position += MIB;
      while (p.step(now)) {
        // allocate until the lead is covered
      }
    }
    assertThat(p.lead()).isEqualTo(64 * MIB);
    for (int i = 0; i < 300; i++) {
      now += 100_000_000L; // 30 s without a write
      p.step(now);
    }
    assertThat(p.lead()).isEqualTo(Preallocator.MIN_LEAD);
  }

  @Test
  void shouldNeverChangeBytesTheWriterAlreadyWrote() throws Exception {
    Path file = sparseFile(64 * MIB);
    byte[] written = new byte[3 * (int) MIB];
    for (int i = 0; i < written.length; i++) {
      written[i] = (byte) (i * 31 + 7);
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(written);
    }
    // The writer's published position lags what it wrote (it is published once per batch).
    MovableWriter writer = new MovableWriter(file.toFile());
    writer.position = 4096;
    Preallocator p = new Preallocator(writer, 16 * MIB, counters, state);
    while (p.step(0)) {
      // allocate until the lead is covered
    }
    try (FileBlocks touching = FileBlocks.openTouching(file)) {
      assertThat(touching.allocate(0, 8 * MIB)).isGreaterThanOrEqualTo(4 * MIB);
    }
    byte[] after = new byte[written.length];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.readFully(after);
    }
    assertThat(after).isEqualTo(written);
    assertThat(Files.size(file)).isEqualTo(64 * MIB);
  }

  private Path sparseFile(long size) throws IOException {
    Path file = tmp.resolve("cycle-" + System.nanoTime() + ".cq4");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  private static Event chat(int n) {
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .topic("chat")
        .originSeqno(n)
        .data(("hello " + n).getBytes(StandardCharsets.UTF_8));
  }

  private static Path onlyCycleFile(Path dir) {
    List<Path> files = Queues.cycleFiles(dir);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
  }

  /** Bytes the file system has allocated to {@code file} (du), not its length. */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process du = new ProcessBuilder("du", "-k", "--", file.toString()).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(du.waitFor()).isZero();
    return Long.parseLong(out.trim().split("\\s+")[0]) * 1024;
  }

  /** A writer position the test moves by hand. */
  private static final class MovableWriter implements WriterPosition {
    private final File file;
    volatile long position;

    MovableWriter(File file) {
      this.file = file;
    }

    @Override
    public File currentFile() {
      return file;
    }

    @Override
    public long writePosition() {
      return position;
    }
  }
}
