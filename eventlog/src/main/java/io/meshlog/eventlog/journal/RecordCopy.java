package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.JournalException;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The Chronicle side of {@link JournalCopy}: raw records out of a queue, and raw records into a
 * queue at the indexes they had (Chronicle's indexed write, the one its replication uses). Reached
 * from outside this package only through {@link io.meshlog.eventlog.disk.Journals}; not API.
 */
public final class RecordCopy {
  private RecordCopy() {}

  /** See {@link io.meshlog.eventlog.disk.Journals#openCopySource}. */
  public static JournalCopy.Source openSource(Path journalDir) {
    SingleChronicleQueue queue = Queues.openExisting(journalDir, null);
    try {
      return new Source(queue, journalDir);
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  /** See {@link io.meshlog.eventlog.disk.Journals#openCopyTarget}. */
  public static JournalCopy.Target openTarget(Path journalDir, JournalConfig.RollCycle rollCycle) {
    SingleChronicleQueue queue = Queues.open(journalDir, Queues.rollCycle(rollCycle), null);
    try {
      return new Target(queue, journalDir);
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  static JournalConfig.RollCycle ours(RollCycle rc) {
    if (rc instanceof Enum<?> e) {
      return JournalConfig.RollCycle.valueOf(e.name());
    }
    throw new IllegalStateException("unknown roll cycle " + rc);
  }

  private static final class Source implements JournalCopy.Source {
    private final SingleChronicleQueue queue;
    private final Path dir;
    private final ExcerptTailer tailer;
    private final JournalConfig.RollCycle rollCycle;
    private final EventCodec codec = new EventCodec(64);
    private byte[] buffer = new byte[1024];
    private int length;

    Source(SingleChronicleQueue queue, Path dir) {
      this.queue = queue;
      this.dir = dir;
      this.rollCycle = ours(queue.rollCycle());
      this.tailer = queue.createTailer();
      tailer.singleThreadedCheckDisabled(true);
    }

    @Override
    public JournalConfig.RollCycle rollCycle() {
      return rollCycle;
    }

    @Override
    public void toAfter(long index) {
      try {
        queue.refreshDirectoryListing();
        tailer.toStart();
        if (index < 0 || index < queue.firstIndex()) {
          return;
        }
        if (tailer.moveToIndex(index)) {
          try (DocumentContext dc = tailer.readingDocument()) {
            // consumed: the reader goes on after it
            assert dc.isPresent();
          }
          return;
        }
        // In a deleted cycle or a gap: skip what lies at or before it.
        while (true) {
          try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
              return;
            }
            if (dc.index() > index) {
              dc.rollbackOnClose();
              return;
            }
          }
        }
      } catch (RuntimeException e) {
        throw failure(e, "cannot seek after index " + index);
      }
    }

    @Override
    public long next() {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return -1;
        }
        Bytes<?> bytes = dc.wire().bytes();
        int len = (int) Math.min(Integer.MAX_VALUE - 16, bytes.readRemaining());
        if (buffer.length < len) {
          buffer = new byte[Math.max(len, buffer.length * 2)];
        }
        bytes.read(buffer, 0, len);
        length = len;
        return dc.index();
      } catch (RuntimeException e) {
        throw failure(e, "cannot read the next record");
      }
    }

    @Override
    public byte[] buffer() {
      return buffer;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public long readLast(Event into) {
      try (ExcerptTailer back = queue.createTailer()) {
        back.singleThreadedCheckDisabled(true);
        back.direction(TailerDirection.BACKWARD).toEnd();
        byte[] b = new byte[256];
        for (int tries = 0; tries < 16; tries++) {
          try (DocumentContext dc = back.readingDocument()) {
            if (!dc.isPresent()) {
              return -1;
            }
            Bytes<?> bytes = dc.wire().bytes();
            int len = (int) bytes.readRemaining();
            if (b.length < len) {
              b = new byte[len];
            }
            bytes.read(b, 0, len);
            if (codec.decode(b, 0, len, into)) {
              return dc.index();
            }
          }
        }
        return -1;
      } catch (RuntimeException e) {
        throw failure(e, "cannot read the last record");
      }
    }

    @Override
    public String cycleFileName(long index) {
      return Queues.cycleFile(queue, queue.rollCycle().toCycle(index)).getFileName().toString();
    }

    private JournalException failure(RuntimeException e, String what) {
      if (e instanceof JournalException je) {
        return je;
      }
      return new JournalException(JournalException.Reason.CORRUPT, dir, what + ": " + e, e);
    }

    @Override
    public void close() {
      tailer.close();
      queue.close();
    }
  }

  private static final class Target implements JournalCopy.Target {
    private final SingleChronicleQueue queue;
    private final Path dir;
    private final ExcerptAppender appender;
    private final RollCycle rollCycle;
    private final Bytes<byte[]> wrap = Bytes.allocateElasticOnHeap(1024);
    private long last;

    Target(SingleChronicleQueue queue, Path dir) {
      this.queue = queue;
      this.dir = dir;
      this.rollCycle = queue.rollCycle();
      this.appender = queue.createAppender();
      appender.singleThreadedCheckDisabled(true);
      long lastIndex = queue.lastIndex();
      this.last = lastIndex < 0 ? Long.MIN_VALUE : lastIndex;
    }

    @Override
    public boolean append(long index, byte[] record, int offset, int length) {
      if (last != Long.MIN_VALUE) {
        if (index <= last) {
          return false;
        }
        boolean sameCycle = rollCycle.toCycle(index) == rollCycle.toCycle(last);
        if (sameCycle && index != last + 1) {
          return false;
        }
      }
      if (rollCycle.toSequenceNumber(index) != 0
          && (last == Long.MIN_VALUE || rollCycle.toCycle(index) != rollCycle.toCycle(last))) {
        return false;
      }
      wrap.clear();
      wrap.write(record, offset, length);
      try {
        ((InternalAppender) appender).writeBytes(index, wrap);
      } catch (RuntimeException e) {
        throw new JournalException(
            JournalException.Reason.IO, dir, "cannot write the record at index " + index, e);
      }
      last = index;
      return true;
    }

    @Override
    public long appendNext(byte[] record, int offset, int length) {
      wrap.clear();
      wrap.write(record, offset, length);
      try {
        appender.writeBytes(wrap);
        last = appender.lastIndexAppended();
      } catch (RuntimeException e) {
        throw new JournalException(JournalException.Reason.IO, dir, "cannot append a record", e);
      }
      return last;
    }

    @Override
    public void close() {
      appender.close();
      queue.close();
      wrap.releaseLast();
    }
  }
}
