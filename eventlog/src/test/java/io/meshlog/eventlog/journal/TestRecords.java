package io.meshlog.eventlog.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/** Writes raw records, as a future meshlog version would, for reader tests. */
public final class TestRecords {
  private TestRecords() {}

  public static void appendRaw(Path dir, byte[] record) {
    try (SingleChronicleQueue q = Queues.openExisting(dir, null);
        ExcerptAppender appender = q.createAppender()) {
      appender.writeBytes(Bytes.wrapForRead(record));
    }
  }
}
