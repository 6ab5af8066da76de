package io.meshlog.eventlog.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Chronicle without the journal around it, for the benchmark's baseline: how fast one thread
 * appends the same encoded records straight into a queue. Reached from outside this package only
 * through {@link ChronicleJournal#rawAppend}.
 */
final class RawChronicle {
  private RawChronicle() {}

  /**
   * Appends {@code count} copies of {@code record[0..length)} from the calling thread.
   *
   * @return elapsed nanoseconds
   * @throws IllegalStateException when the queue does not then hold exactly {@code count} records
   */
  static long append(Path dir, byte[] record, int length, long count) {
    try (SingleChronicleQueue queue = Queues.open(dir, RollCycles.FAST_DAILY, null);
        ExcerptAppender appender = queue.createAppender()) {
      Bytes<byte[]> bytes = Bytes.wrapForRead(record);
      long start = System.nanoTime();
      for (long i = 0; i < count; i++) {
        bytes.readPositionRemaining(0, length);
        appender.writeBytes(bytes);
      }
      long elapsed = System.nanoTime() - start;
      long found = countRecords(queue);
      if (found != count) {
        throw new IllegalStateException(
            "raw append wrote " + found + " records, expected " + count);
      }
      return elapsed;
    }
  }

  private static long countRecords(SingleChronicleQueue queue) {
    long n = 0;
    try (ExcerptTailer tailer = queue.createTailer()) {
      for (long c = queue.firstCycle(); c <= queue.lastCycle(); c++) {
        n += Math.max(0, tailer.excerptsInCycle((int) c));
      }
    }
    return n;
  }
}
