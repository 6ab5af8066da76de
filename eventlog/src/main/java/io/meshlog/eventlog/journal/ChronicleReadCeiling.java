package io.meshlog.eventlog.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle without the journal around it, for the read benchmark's ceiling: how fast one thread
 * steps through a queue's excerpts, touching each one's length and first eight bytes and nothing
 * else. A journal reader cannot be faster than this on the same files.
 */
public final class ChronicleReadCeiling {
  private ChronicleReadCeiling() {}

  /**
   * What one pass read.
   *
   * @param records excerpts read
   * @param bytes their total length
   * @param checksum a fold of each excerpt's first eight bytes, so the reads are not optimised away
   * @param nanos elapsed time of the pass
   */
  public record Pass(long records, long bytes, long checksum, long nanos) {}

  /** Reads every excerpt of the journal in {@code dir} once, from the calling thread. */
  public static Pass read(Path dir) {
    try (SingleChronicleQueue queue = Queues.openExisting(dir, null);
        ExcerptTailer tailer = queue.createTailer()) {
      long records = 0;
      long bytes = 0;
      long checksum = 0;
      long start = System.nanoTime();
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> b = dc.wire().bytes();
          long len = b.readRemaining();
          bytes += len;
          checksum = checksum * 31 + (len >= 8 ? b.readLong(b.readPosition()) : len);
          records++;
        }
      }
      return new Pass(records, bytes, checksum, System.nanoTime() - start);
    }
  }
}
