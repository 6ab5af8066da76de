package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JournalReader} over a Chronicle tailer. Copies each record into a reused buffer and
 * decodes it into the caller's event, or points the caller's {@link EventView} at it; skips unknown
 * record types; turns any failure to read a cycle file into a {@link JournalException} naming the
 * file. Not thread-safe.
 *
 * <p>Retention deletes cycle files while readers read them:
 *
 * <ul>
 *   <li>a file deleted while the reader is in it stays mapped, and the reader reads it to its end;
 *   <li>a file deleted before the reader entered it is stepped over. Chronicle steps over it when
 *       it looks for the next cycle; when the tailer gets a record from a file that is gone (mapped
 *       when the tailer was created, deleted before the reader read from it), or ends up in no
 *       cycle at all (the file it was opening vanished between Chronicle's directory listing and
 *       the open), the reader moves on itself: after the last record it read, or to the start or
 *       the time it was last positioned at;
 *   <li>{@link DeletedEventCount} counts the events stepped over.
 * </ul>
 *
 * Nothing readable while the queue's index knows of later records, with the tailer in a cycle file
 * that exists, is damage: {@link JournalException.Reason#CORRUPT}.
 */
final class ChronicleJournalReader implements JournalReader {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournalReader.class);

  /** Moves past deleted cycles within one {@link #next}; more means retention is still racing. */
  private static final int MAX_REPOSITIONS = 8;

  private static final int NO_CYCLE = Integer.MIN_VALUE;
  private static final long NO_TIME = Long.MIN_VALUE;
  private static final long NO_SEQUENCE = Long.MIN_VALUE;

  private final SingleChronicleQueue queue;
  private final boolean ownsQueue;
  private final ExcerptTailer tailer;
  private final EventCodec codec = new EventCodec(64);
  private final Runnable onSkip;
  private final DeletedEventCount deleted = new DeletedEventCount();
  private byte[] buffer = new byte[1024];
  private Event scratch;
  private boolean closed;

  // Where to go on when the tailer lost its cycle: after resumeAfter (-1: the start), or at
  // resumeAtTime while nothing was read since a toTime.
  private long resumeAfter = -1;
  private long resumeAtTime = NO_TIME;
  // The cycle of the last record consumed; NO_CYCLE until the reader has entered one.
  private int currentCycle = NO_CYCLE;

  ChronicleJournalReader(
      SingleChronicleQueue queue, boolean ownsQueue, String name, Runnable onSkip) {
    this.queue = queue;
    this.ownsQueue = ownsQueue;
    this.onSkip = onSkip;
    try {
      this.tailer = name == null ? queue.createTailer() : queue.createTailer(name);
      // A reader may be created on one thread and handed to another that then owns it.
      tailer.singleThreadedCheckDisabled(true);
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot open a reader");
    }
  }

  /** A reader going backwards from the last record; only {@link #next} is meaningful. */
  static ChronicleJournalReader backwards(SingleChronicleQueue queue) {
    ChronicleJournalReader r = new ChronicleJournalReader(queue, false, null, () -> {});
    try {
      r.tailer.direction(TailerDirection.BACKWARD).toEnd();
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      r.close();
      throw r.failure(e, "cannot read the last record");
    }
    return r;
  }

  @Override
  public void toStart() {
    try {
      seekStart();
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot seek to the start");
    }
    deleted.forget();
    resumeAfter = -1;
    resumeAtTime = NO_TIME;
  }

  @Override
  public void toAfter(long index) {
    long sequence;
    try {
      sequence = seekAfter(index);
    } catch (JournalException e) {
      throw e;
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot seek after index " + index);
    }
    if (sequence == NO_SEQUENCE) {
      deleted.forget();
    } else {
      deleted.positionedAfter(sequence, currentCycle);
    }
    resumeAfter = index;
    resumeAtTime = NO_TIME;
  }

  @Override
  public void toTime(long epochNanos) {
    try {
      seekTime(epochNanos);
    } catch (JournalException e) {
      throw e;
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot seek to time " + epochNanos);
    }
    deleted.forget();
    resumeAfter = -1;
    resumeAtTime = epochNanos;
  }

  /** See {@link DeletedEventCount} for what is counted. */
  @Override
  public long eventsDeletedUnderReader() {
    return deleted.total();
  }

  private void seekStart() {
    queue.refreshDirectoryListing();
    tailer.toStart();
    currentCycle = NO_CYCLE;
  }

  /**
   * Positions after {@code index}.
   *
   * @return the node sequence of the record at {@code index}, or {@link #NO_SEQUENCE} when that
   *     record is not there (or not an event this version knows)
   */
  private long seekAfter(long index) {
    queue.refreshDirectoryListing();
    if (index < 0 || index < queue.firstIndex()) {
      seekStart();
      return NO_SEQUENCE;
    }
    if (tailer.moveToIndex(index)) {
      currentCycle = queue.rollCycle().toCycle(index);
      return consumeRecord();
    }
    // The index is in no cycle (deleted, or a gap between cycles): scan from its cycle.
    int cycle = queue.rollCycle().toCycle(index);
    if (!moveToCycleAtOrBefore(cycle)) {
      tailer.toStart();
    }
    skipWhile(recordIndex -> recordIndex <= index, null);
    currentCycle = NO_CYCLE;
    return NO_SEQUENCE;
  }

  /** Consumes the record the tailer is at; returns its node sequence, or NO_SEQUENCE. */
  private long consumeRecord() {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return NO_SEQUENCE;
      }
      int len = copy(dc.wire().bytes());
      if (scratch == null) {
        scratch = new Event();
      }
      return codec.decode(buffer, 0, len, scratch) ? scratch.sequence() : NO_SEQUENCE;
    } catch (IllegalArgumentException e) {
      // A malformed record: reported when it is read; a seek past it only cannot count from it.
      return NO_SEQUENCE;
    }
  }

  private void seekTime(long epochNanos) {
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
    currentCycle = NO_CYCLE;
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
    return read(into, null);
  }

  @Override
  public long next(EventView into) {
    return read(null, into);
  }

  /** Reads the next known record into {@code event} or, when that is null, {@code view}. */
  private long read(Event event, EventView view) {
    if (closed) {
      throw new IllegalStateException("reader closed");
    }
    if (queue.isClosed()) {
      throw new IllegalStateException("journal closed");
    }
    int repositions = 0;
    while (true) {
      long index = -1;
      int len = 0;
      try (DocumentContext dc = tailer.readingDocument()) {
        if (dc.isPresent()) {
          index = dc.index();
          len = copy(dc.wire().bytes());
        }
      } catch (JournalException e) {
        throw e;
      } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
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
      if (index < 0) {
        Stop stop = nothingToRead();
        if (stop == Stop.END || (stop == Stop.LOST_CYCLE && !movedOn(++repositions))) {
          return -1;
        }
        continue;
      }
      if (enteredDeletedCycle(index)) {
        if (!movedOn(++repositions)) {
          return -1;
        }
        continue;
      }
      try {
        if (event != null) {
          if (codec.decode(buffer, 0, len, event)) {
            noteRead(index, event.sequence());
            return index;
          }
        } else if (view.wrap(buffer, 0, len)) {
          noteRead(index, view.sequence());
          return index;
        }
      } catch (IllegalArgumentException e) {
        throw new JournalException(
            JournalException.Reason.CORRUPT,
            currentFile(),
            "record at index " + index + " is malformed: " + e.getMessage(),
            e);
      }
      resumeAfter = index;
      resumeAtTime = NO_TIME;
      deleted.unknownRecord();
      onSkip.run();
    }
  }

  private void noteRead(long index, long sequence) {
    resumeAfter = index;
    resumeAtTime = NO_TIME;
    long gap = deleted.read(sequence, currentCycle);
    if (gap > 0) {
      LOG.info(
          "reader stepped over {} events in cycle files deleted before it reached them; "
              + "went on at journal index {} (node sequence {}) in {}",
          gap,
          index,
          sequence,
          queue.file());
    }
  }

  /**
   * A record from a cycle the reader had not entered, whose file is gone: the tailer mapped it
   * before retention deleted it. The reader did not start reading it before the deletion, so it
   * steps over it like any deleted cycle.
   */
  private boolean enteredDeletedCycle(long index) {
    int cycle = queue.rollCycle().toCycle(index);
    if (cycle == currentCycle) {
      return false;
    }
    if (!Files.exists(Queues.cycleFile(queue, cycle))) {
      return true;
    }
    currentCycle = cycle;
    return false;
  }

  /**
   * Moves on past a deleted cycle, unless this {@link #next} call did that too often already: then
   * retention is deleting as fast as the reader moves on, and the caller's next call tries again.
   */
  private boolean movedOn(int attempt) {
    if (attempt > MAX_REPOSITIONS) {
      return false;
    }
    reposition();
    return true;
  }

  /** Goes on after a deleted cycle from where the reader last was, with a fresh file listing. */
  private void reposition() {
    try {
      if (resumeAtTime != NO_TIME) {
        seekTime(resumeAtTime);
      } else if (resumeAfter < 0) {
        seekStart();
      } else {
        seekAfter(resumeAfter);
      }
    } catch (JournalException e) {
      throw e;
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot go on after a deleted cycle file");
    }
  }

  private enum Stop {
    /** The end of the journal, for now. */
    END,
    /** A record arrived: read on. */
    READ_ON,
    /** The tailer is in no cycle, or in one whose file is gone, with records after it. */
    LOST_CYCLE
  }

  /**
   * Nothing is readable at the tailer's position. That is the end of the journal unless the queue's
   * index knows of records at or after the position. Then either retention deleted the cycle file
   * the tailer is in or was opening, or the tailer stopped seeing a live writer's records (below),
   * or, in a cycle file that exists, a damaged record header made Chronicle skip to the end of the
   * cycle silently: look the position up again, give a live writer a moment to complete its record,
   * then report the file as corrupt.
   *
   * <p>Chronicle's tailer, reading at the end of a journal that was reopened and is being written,
   * can go on reporting nothing at its position although the record there is complete and more
   * follow (seen: a directory replaying its journal at start-up, and a reader stress run, with the
   * writer hundreds of records ahead after 100 ms); a fresh lookup of the same index reads it at
   * once. So every retry seeks by index rather than trusting the tailer's position.
   */
  private Stop nothingToRead() {
    long deadline = System.nanoTime() + 100_000_000L;
    long position = tailer.index();
    while (true) {
      if (position == 0 || queue.lastIndex() < position) {
        return Stop.END;
      }
      if (lostCycle()) {
        return Stop.LOST_CYCLE;
      }
      if (readableAfterSeeking(position)) {
        return Stop.READ_ON;
      }
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
    }
  }

  /** Seeks the tailer to {@code index} by the queue's index and tells whether a record is there. */
  private boolean readableAfterSeeking(long index) {
    try {
      if (!tailer.moveToIndex(index)) {
        return false;
      }
      try (DocumentContext dc = tailer.readingDocument()) {
        if (dc.isPresent()) {
          dc.rollbackOnClose();
          return true;
        }
      }
      return false;
    } catch (Exception e) { // Chronicle also throws checked exceptions unchecked
      throw failure(e, "cannot seek to index " + index);
    }
  }

  private boolean lostCycle() {
    int cycle = tailer.cycle();
    return cycle == NO_CYCLE
        || tailer.index() == Long.MIN_VALUE
        || !Files.exists(Queues.cycleFile(queue, cycle));
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

  private JournalException failure(Exception e, String what) {
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
