package io.meshlog.eventlog.journal;

import com.lmax.disruptor.EventHandler;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.metrics.CounterSet;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The journal thread: encodes each event into a reused buffer, appends it as one excerpt, assigns
 * the node sequence and records the journal index in the slot. Counters and the writer position are
 * published once per batch, not per event.
 *
 * <p>There is nothing to flush per batch: excerpts are written into memory-mapped files, so a
 * written record survives the process being killed (the OS writes the pages back).
 *
 * <p>A write failure marks the journal FAILED (once, with the file) and every later event in the
 * ring is left unjournaled (index -1), which the gated handlers skip. While the disk is full
 * ({@link JournalState#isFull()}) events are left unjournaled the same way and counted; the first
 * event written after that is an {@code EVENTS_NOT_JOURNALED} saying how many and from when to
 * when. After the first record of each new cycle file it writes a {@code JOURNAL_CYCLE} record
 * (whose journal, what the node was subscribed to: {@link NodeStateTracker}). Not thread-safe:
 * owned by the journal thread.
 */
final class JournalAppendHandler implements EventHandler<EventSlot>, WriterPosition {
  private final SingleChronicleQueue queue;
  private ExcerptAppender appender;
  private final Path dir;
  private final CounterSet<JournalCounter> counters;
  private final JournalState state;
  private final int maxRecordBytes;
  private final EventCodec codec = new EventCodec(1024);
  private Bytes<byte[]> wrapped;
  private byte[] wrappedArray;

  private long nextSequence;
  private long appended;
  private long bytes;
  private long lastIndex = -1;
  private volatile long writePosition;
  private volatile File currentFile;
  private final java.util.concurrent.CountDownLatch started =
      new java.util.concurrent.CountDownLatch(1);
  private int cachedCycle = Integer.MIN_VALUE;
  private File cachedFile;

  // The cycle of the last record written, and what a JOURNAL_CYCLE record restates.
  private int writtenCycle = Integer.MIN_VALUE;
  private final NodeStateTracker nodeState = new NodeStateTracker();
  private final Event cycleRecord = new Event();

  // Events not written while the disk was full, since the last one written.
  private final Event gap = new Event();
  private long gapCount;
  private long gapFirstNanos;
  private long gapLastNanos;

  JournalAppendHandler(
      SingleChronicleQueue queue,
      Path dir,
      long nextSequence,
      CounterSet<JournalCounter> counters,
      JournalState state,
      int maxRecordBytes) {
    this.queue = queue;
    this.dir = dir;
    this.nextSequence = nextSequence;
    this.counters = counters;
    this.state = state;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Chronicle binds an appender and its buffers to the thread that first uses them, so they are
   * created here, on the journal thread.
   */
  @Override
  public void onStart() {
    try {
      appender = queue.createAppender();
      wrappedArray = codec.buffer();
      wrapped = Bytes.wrapForRead(wrappedArray);
    } catch (RuntimeException e) {
      state.fail(JournalException.Reason.IO, dir, "cannot open the journal appender: " + e, e);
    } finally {
      started.countDown();
    }
  }

  /**
   * Waits until the journal thread is running and its appender exists. The Disruptor does not count
   * a consumer that has not started yet as having a backlog, so without this a journal closed right
   * after opening could drop what was published in between.
   */
  boolean awaitStarted(long millis) throws InterruptedException {
    return started.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void onShutdown() {
    if (appender != null) {
      appender.close();
    }
  }

  @Override
  public void onEvent(EventSlot slot, long ringSequence, boolean endOfBatch) {
    slot.journalIndex = -1;
    if (state.failure() == null && appender != null) {
      if (state.isFull()) {
        notJournaled(slot.event);
      } else {
        if (gapCount > 0) {
          writeGap();
        }
        slot.journalIndex = append(slot.event);
        if (slot.journalIndex >= 0) {
          nodeState.accept(slot.event);
          noticeNewCycle(slot.event);
        }
      }
    } else {
      counters.increment(JournalCounter.APPEND_ERRORS);
    }
    if (endOfBatch) {
      publishProgress();
    }
  }

  private void notJournaled(Event event) {
    counters.increment(JournalCounter.EVENTS_NOT_JOURNALED);
    if (gapCount++ == 0) {
      gapFirstNanos = event.timeNanos();
    }
    gapLastNanos = event.timeNanos();
  }

  /** Journals how many events the full disk kept out, before the first one written again. */
  private void writeGap() {
    gap.clear();
    gap.type(EventType.EVENTS_NOT_JOURNALED)
        .timeNanos(gapFirstNanos)
        .value(gapCount)
        .text("disk full (STORAGE_FULL); last one at " + Instant.ofEpochSecond(0, gapLastNanos));
    if (append(gap) >= 0) {
      gapCount = 0;
    }
  }

  /**
   * After the first record of a new cycle file, writes a JOURNAL_CYCLE record saying whose journal
   * it is and what the node was subscribed to: retention deletes old cycle files, and with them the
   * NODE_STARTED, JOINs and GRAFTs a reader would otherwise start from. Not after a NODE_STARTED or
   * a JOURNAL_CYCLE (a copied one: either says so itself), nor before one was written (the owner is
   * unknown).
   */
  private void noticeNewCycle(Event written) {
    int cycle = appender.cycle();
    if (cycle == writtenCycle) {
      return;
    }
    writtenCycle = cycle;
    EventType type = written.type();
    if (type != EventType.NODE_STARTED
        && type != EventType.JOURNAL_CYCLE
        && nodeState.knowsOwner()) {
      append(nodeState.cycleRecord(cycleRecord, written.timeNanos()));
    }
  }

  /** Writes one event; returns its journal index, or -1 when it was not written. */
  private long append(Event event) {
    event.sequence(nextSequence).schemaVersion(EventCodec.SCHEMA_VERSION);
    if (event.data() != null && event.data().length > maxRecordBytes) {
      // Checked before encoding so one huge event cannot grow the encode buffer for good.
      counters.increment(JournalCounter.RECORDS_TOO_LARGE);
      return -1;
    }
    int length;
    try {
      length = codec.encode(event);
    } catch (RuntimeException e) {
      counters.increment(JournalCounter.APPEND_ERRORS);
      return -1;
    }
    if (length > maxRecordBytes) {
      counters.increment(JournalCounter.RECORDS_TOO_LARGE);
      return -1;
    }
    try {
      if (codec.buffer() != wrappedArray) {
        wrappedArray = codec.buffer();
        wrapped = Bytes.wrapForRead(wrappedArray);
      }
      wrapped.readPositionRemaining(0, length);
      appender.writeBytes(wrapped);
      lastIndex = appender.lastIndexAppended();
    } catch (Throwable t) {
      counters.increment(JournalCounter.APPEND_ERRORS);
      File file = currentFileOrNull();
      state.fail(
          classify(t),
          file == null ? dir : file.toPath(),
          "append of node sequence " + nextSequence + " failed: " + t,
          t);
      if (t instanceof Error && !(t instanceof InternalError)) {
        throw (Error) t;
      }
      return -1;
    }
    nextSequence++;
    appended++;
    bytes += length;
    return lastIndex;
  }

  private void publishProgress() {
    // EVENTS_APPENDED goes last: readers wait on it, and the ordered (release) stores make the
    // other positions of the same batch visible to whoever sees it.
    counters.set(JournalCounter.BYTES_WRITTEN, bytes);
    counters.set(JournalCounter.APPENDED_INDEX, lastIndex);
    counters.set(JournalCounter.NODE_SEQUENCE, nextSequence - 1);
    counters.set(JournalCounter.EVENTS_APPENDED, appended);
    if (lastIndex >= 0) {
      try {
        writePosition = appender.wire().bytes().writePosition();
        currentFile = currentFileOrNull();
      } catch (RuntimeException e) {
        // Position is advisory (it steers preallocation); never fail the journal for it.
        writePosition = 0;
      }
    }
  }

  private File currentFileOrNull() {
    try {
      int cycle = appender.cycle();
      if (cycle != cachedCycle) {
        cachedCycle = cycle;
        cachedFile = Queues.cycleFile(appender.queue(), cycle).toFile();
      }
      return cachedFile;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Byte offset in {@link #currentFile()} just past the last record, as of the last batch. */
  @Override
  public long writePosition() {
    return writePosition;
  }

  /** The cycle file being written, as of the last batch; null before the first append. */
  @Override
  public File currentFile() {
    return currentFile;
  }

  static JournalException.Reason classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      // A write into a memory-mapped page the file system cannot back raises SIGBUS, which the
      // JVM reports as an InternalError; on Linux that means the disk is full.
      if (c instanceof InternalError || m.contains("No space left") || m.contains("ENOSPC")) {
        return JournalException.Reason.STORAGE_FULL;
      }
    }
    return JournalException.Reason.IO;
  }
}
