package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.ExpectErrorLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race behind a healthy journal reported as CORRUPT: a tailer looks up the oldest cycle in
 * Chronicle's directory listing, retention deletes that cycle file, and the tailer then fails to
 * open it and is left in no cycle at all (index {@code Long.MIN_VALUE}) while the queue still has
 * records. The queue's clock, which Chronicle reads right before it reads the listing, deletes the
 * file at that moment, so the race is lost every time.
 */
// Chronicle logs an ERROR each time a reader finds its cycle file deleted; the reader steps over
// it.
@ExpectErrorLogs("deleted from under the queue")
@Timeout(30)
class CycleVanishingUnderTailerTest {
  @TempDir Path dir;

  /** A fixed clock that, once armed, deletes a file the next time a tailer seeks the start. */
  private static final class RacingClock implements TimeProvider {
    volatile long millis;
    volatile Path deleteOnToStart;
    volatile boolean deleted;

    @Override
    public long currentTimeMillis() {
      Path victim = deleteOnToStart;
      if (victim != null && calledFromTailerToStart()) {
        deleteOnToStart = null;
        try {
          Files.delete(victim);
          deleted = true;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return millis;
    }

    private static boolean calledFromTailerToStart() {
      return StackWalker.getInstance()
          .walk(
              frames ->
                  frames.anyMatch(
                      f ->
                          f.getClassName().endsWith(".StoreTailer")
                              && f.getMethodName().equals("doToStart")));
    }
  }

  @Test
  void shouldStartAtTheNextCycleWhenTheFirstVanishesAsTheReaderOpens() throws Exception {
    RacingClock clock = new RacingClock();
    try (SingleChronicleQueue queue =
        SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(TestRollCycles.TEST_SECONDLY)
            .timeProvider(clock)
            .build()) {
      List<List<Long>> cycles = writeCycles(queue, clock, 4, 3);
      clock.deleteOnToStart = Queues.cycleFiles(dir).get(0);

      try (ChronicleJournalReader reader =
          new ChronicleJournalReader(queue, false, null, () -> {})) {
        assertThat(clock.deleted)
            .as("the cycle file vanished inside the tailer's toStart")
            .isTrue();
        List<Long> read = new ArrayList<>();
        Event e = new Event();
        while (reader.next(e) >= 0) {
          read.add(e.sequence());
        }
        assertThat(read)
            .isEqualTo(cycles.subList(1, cycles.size()).stream().flatMap(List::stream).toList());
        // The reader had read nothing: the deleted cycle was behind its retention horizon.
        assertThat(reader.eventsDeletedUnderReader()).isZero();
      }
    }
  }

  /** Appends {@code perCycle} events into each of {@code cycles} one-second cycles. */
  private static List<List<Long>> writeCycles(
      SingleChronicleQueue queue, RacingClock clock, int cycles, int perCycle) {
    EventCodec codec = new EventCodec();
    Event event = new Event().type(EventType.DELIVER_MESSAGE).topic("t");
    List<List<Long>> written = new ArrayList<>();
    long sequence = 0;
    long start = System.currentTimeMillis() / 1000 * 1000 - cycles * 1000L;
    try (ExcerptAppender appender = queue.createAppender()) {
      for (int c = 0; c < cycles; c++) {
        clock.millis = start + c * 1000L;
        List<Long> inCycle = new ArrayList<>();
        for (int i = 0; i < perCycle; i++) {
          event.sequence(sequence).timeNanos(clock.millis * 1_000_000L);
          int len = codec.encode(event);
          appender.writeBytes(Bytes.wrapForRead(Arrays.copyOf(codec.buffer(), len)));
          inCycle.add(sequence++);
        }
        written.add(inCycle);
      }
    }
    assertThat(Queues.cycleFiles(queue.file().toPath())).hasSize(cycles);
    return written;
  }
}
