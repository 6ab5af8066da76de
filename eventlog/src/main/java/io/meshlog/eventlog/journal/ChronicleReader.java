package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import java.nio.file.Path;
import java.util.NavigableSet;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A {@link JournalReader} over a Chronicle tailer. Decodes into the caller's event through a reused
 * buffer; skips unknown record types; turns any failure to read a cycle file into a {@link
 * JournalException} naming the file. Not thread-safe.
 */
final class ChronicleReader implements JournalReader {
  private final SingleChronicleQueue queue;
  private final boolean ownsQueue;
  private final ExcerptTailer tailer;
  private final EventCodec codec = new EventCodec(64);
  private final Runnable onSkip;
  private byte[] buffer = new byte[1024];
  private boolean closed;

  ChronicleReader(SingleChronicleQueue queue, boolean ownsQueue, String name, Runnable onSkip) {
    this.queue = queue;
    this.ownsQueue = ownsQueue;
    this.onSkip = onSkip;
    try {
      this.tailer = name == null ? queue.createTailer() : queue.createTailer(name);
      // A reader may be created on one thread and handed to another that then owns it.
      tailer.singleThreadedCheckDisabled(true);
    } catch (RuntimeException e) {
      throw failure(e, "cannot open a reader");
    }
  }

  /** A reader going backwards from the last record; only {@link #next} is meaningful. */
  static ChronicleReader backwards(SingleChronicleQueue queue) {
    ChronicleReader r = new ChronicleReader(queue, false, null, () -> {});
    try {
      r.tailer.direction(TailerDirection.BACKWARD).toEnd();
    } catch (RuntimeException e) {
      r.close();
      throw r.failure(e, "cannot read the last record");
    }
    return r;
  }

  @Override
  public void toStart() {
    try {
      queue.refreshDirectoryListing();
      tailer.toStart();
    } catch (RuntimeException e) {
      throw failure(e, "cannot seek to the start");
    }
  }

  @Override
  public void toAfter(long index) {
    try {
      queue.refreshDirectoryListing();
      if (index < 0 || index < queue.firstIndex()) {
        tailer.toStart();
        return;
      }
      if (tailer.moveToIndex(index)) {
        // Consumes the record at index itself.
        tailer.readingDocument().close();
        return;
      }
      // The index is in no cycle (deleted, or a gap between cycles): scan from its cycle.
      int cycle = queue.rollCycle().toCycle(index);
      if (!moveToCycleAtOrBefore(cycle)) {
        tailer.toStart();
      }
      skipWhile(recordIndex -> recordIndex <= index, null);
    } catch (JournalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(e, "cannot seek after index " + index);
    }
  }

  @Override
  public void toTime(long epochNanos) {
    try {
      queue.refreshDirectoryListing();
      long millis = Math.floorDiv(epochNanos, 1_000_000L);
      int length = queue.rollCycle().lengthInMillis();
      // One cycle earlier: producers stamp time just before the ring, so a record may land in
      // the cycle after its own time.
      int cycle = (int) Math.floorDiv(millis, length) - 1;
      if (!moveToCycleAtOrBefore(cycle)) {
        tailer.toStart();
      }
      skipWhile(null, t -> t < epochNanos);
    } catch (JournalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(e, "cannot seek to time " + epochNanos);
    }
  }

  private boolean moveToCycleAtOrBefore(int cycle) {
    int first = queue.firstCycle();
    int last = queue.lastCycle();
    if (first == Integer.MAX_VALUE || cycle < first) {
      return false;
    }
    NavigableSet<Long> cycles = queue.listCyclesBetween(first, Math.min(cycle, last));
    Long at = cycles.floor((long) cycle);
    return at != null && tailer.moveToCycle(at.intValue());
  }

  /** Advances past records matching the predicates; leaves the first non-matching one unread. */
  private void skipWhile(
      java.util.function.LongPredicate byIndex, java.util.function.LongPredicate byTime) {
    while (true) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return;
        }
        boolean skip;
        if (byIndex != null) {
          skip = byIndex.test(dc.index());
        } else {
          int len = copy(dc.wire().bytes());
          long t = EventCodec.peekTimeNanos(buffer, 0, len);
          skip = t == Event.ABSENT || byTime.test(t);
        }
        if (!skip) {
          dc.rollbackOnClose();
          return;
        }
      }
    }
  }

  @Override
  public long next(Event into) {
    if (closed) {
      throw new IllegalStateException("reader closed");
    }
    if (queue.isClosed()) {
      throw new IllegalStateException("journal closed");
    }
    while (true) {
      long index;
      int len;
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          checkNotStuck();
          return -1;
        }
        index = dc.index();
        len = copy(dc.wire().bytes());
      } catch (JournalException e) {
        throw e;
      } catch (RuntimeException e) {
        throw failure(e, "cannot read the next record");
      } catch (InternalError e) {
        // SIGBUS on a mapped page: the file has a page the file system cannot back, e.g. a
        // record that was being written when the disk filled up.
        throw new JournalException(
            JournalException.Reason.CORRUPT,
            currentFile(),
            "cycle file has a page that cannot be read (written while the disk was full?): " + e,
            e);
      }
      try {
        if (codec.decode(buffer, 0, len, into)) {
          return index;
        }
      } catch (IllegalArgumentException e) {
        throw new JournalException(
            JournalException.Reason.CORRUPT,
            currentFile(),
            "record at index " + index + " is malformed: " + e.getMessage(),
            e);
      }
      onSkip.run();
    }
  }

  /**
   * A damaged record header can make Chronicle skip to the end of a cycle silently. When nothing
   * more is readable but the queue's index knows of records at or after our position, give a live
   * writer a moment to complete its record, then report the file as corrupt.
   */
  private void checkNotStuck() {
    long position = tailer.index();
    long deadline = System.nanoTime() + 100_000_000L;
    while (queue.lastIndex() >= position && position != 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new JournalException(
            JournalException.Reason.CORRUPT,
            currentFile(),
            "records up to index "
                + queue.lastIndex()
                + " exist but cannot be read past index "
                + position
                + " (damaged record header)");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      try (DocumentContext dc = tailer.readingDocument()) {
        if (dc.isPresent()) {
          dc.rollbackOnClose();
          return;
        }
      }
      position = tailer.index();
    }
  }

  private int copy(Bytes<?> bytes) {
    long remaining = bytes.readRemaining();
    if (remaining > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("record of " + remaining + " bytes");
    }
    int len = (int) remaining;
    if (buffer.length < len) {
      buffer = new byte[Math.max(len, buffer.length * 2)];
    }
    bytes.read(buffer, 0, len);
    return len;
  }

  private JournalException failure(RuntimeException e, String what) {
    if (e instanceof JournalException) {
      return (JournalException) e;
    }
    Path file = currentFile();
    return new JournalException(
        JournalException.Reason.CORRUPT,
        file,
        what + " (cycle file unreadable or truncated): " + e,
        e);
  }

  /** The cycle file the tailer is in, or the first one when it has not entered any yet. */
  private Path currentFile() {
    try {
      int cycle = tailer == null ? Integer.MIN_VALUE : tailer.cycle();
      if (cycle == Integer.MIN_VALUE) {
        java.util.List<Path> files = Queues.cycleFiles(queue.file().toPath());
        if (!files.isEmpty()) {
          return files.get(0);
        }
      } else {
        return Queues.cycleFile(queue, cycle);
      }
    } catch (RuntimeException ignored) {
      // Fall through to the directory: the file name is best effort once the queue is broken.
    }
    return queue.file().toPath();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tailer.close();
      if (ownsQueue) {
        queue.close();
      }
    }
  }
}
