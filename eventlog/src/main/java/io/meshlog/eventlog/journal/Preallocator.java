package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.metrics.CounterSet;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps file blocks allocated ahead of the journal writer, so the writer never takes the page fault
 * that allocates a block for a file hole, and sizes that lead to the rate the journal is written.
 *
 * <p>Why ahead: Chronicle grows its files sparsely, and on a real disk the first write into a hole
 * page costs a block allocation in the file system; those come in bursts that stall the writer for
 * milliseconds (seen: ~20 ms every few MiB), far above the journal's 1 ms tail-latency budget.
 *
 * <p>Why sized to the rate: every block allocated ahead stays in its cycle file when the cycle
 * ends. A fixed 64 MiB lead made every hourly file of an idle node hold 64 MiB it never wrote, 1.5
 * GiB a day. The lead is therefore the bytes the writer wrote in its busiest recent second
 * (decaying by half every {@link #DECAY_NANOS}), at least {@link #MIN_LEAD} and at most {@code
 * journal.preallocateBytes}: an idle cycle file keeps at most ~1 MiB unwritten, a busy one about
 * one second of writing.
 *
 * <pre>
 *   cycle file:  [ records ... | allocated, not yet written (lead) | hole ...
 *                               ^ writer position                  ^ allocated up to
 * </pre>
 *
 * <p>The allocation is {@link FileBlocks#allocate} ({@code fallocate}, one system call per step,
 * never touching data, so it is safe wherever the writer is). Where the file system or platform has
 * no {@code fallocate}, it falls back to touching each page through a mapping ({@link
 * FileBlocks#touch}), which costs a page fault per page on this thread.
 *
 * <p>Runs on its own thread; all I/O here is off the journal thread. Not thread-safe otherwise.
 */
final class Preallocator implements Runnable {
  /** The smallest lead kept, even on an idle journal: covers the start of a burst. */
  static final long MIN_LEAD = 1L << 20;

  /** The lead's rate memory halves every this many nanoseconds once the writer slows down. */
  static final long DECAY_NANOS = 2_000_000_000L;

  private static final long WINDOW_NANOS = 100_000_000L;
  private static final long PAGE = 4096;
  private static final long IDLE_PARK_NANOS = 500_000;

  /**
   * The longest park while the writer stands still. A burst from a standing start then writes for
   * at most this long before the next step: 2 ms at 300 MB/s (the journal's peak, 2 M events/s of
   * ~150 bytes) is 600 KB, inside {@link #MIN_LEAD}. Backing off from 0.5 ms spares an idle node
   * 1,500 wake-ups a second.
   */
  static final long MAX_IDLE_PARK_NANOS = 2_000_000;

  private static final long FULL_RETRY_NANOS = 250_000_000L;

  private final WriterPosition writer;
  private final long maxLead;
  private final CounterSet<JournalCounter> counters;
  private final JournalState state;
  private volatile boolean running = true;

  private File file;
  private FileBlocks blocks;
  private long allocatedUpTo;
  private boolean blocked;

  // Rate estimate: bytes written in the current window, and the decaying peak in bytes per second.
  private long windowStart;
  private long windowStartPosition;
  private double peakBytesPerSecond;

  Preallocator(
      WriterPosition writer,
      long maxLead,
      CounterSet<JournalCounter> counters,
      JournalState state) {
    this.writer = writer;
    this.maxLead = maxLead;
    this.counters = counters;
    this.state = state;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      long idlePark = IDLE_PARK_NANOS;
      long lastPosition = -1;
      while (running && state.failure() == null) {
        if (step(System.nanoTime())) {
          idlePark = IDLE_PARK_NANOS;
          continue;
        }
        long position = writer.writePosition();
        idlePark =
            position == lastPosition
                ? Math.min(MAX_IDLE_PARK_NANOS, idlePark * 2)
                : IDLE_PARK_NANOS;
        lastPosition = position;
        LockSupport.parkNanos(blocked ? FULL_RETRY_NANOS : idlePark);
      }
    } finally {
      closeFile();
    }
  }

  /**
   * Extends the allocated region if the writer's lead shrank below the target.
   *
   * @param now a monotonic time in nanoseconds (the rate estimate's clock)
   * @return false when there was nothing to do
   */
  boolean step(long now) {
    File current = writer.currentFile();
    if (current == null) {
      return false;
    }
    long position = writer.writePosition();
    try {
      if (!current.equals(file)) {
        closeFile();
        file = current;
        blocks = FileBlocks.open(current.toPath());
        allocatedUpTo = position & -PAGE;
        windowStartPosition = position;
        windowStart = now;
      }
      observe(position, now);
      if (allocatedUpTo < position) {
        // The writer overtook us (a burst): no point allocating behind it.
        allocatedUpTo = position & -PAGE;
      }
      long target = position + lead();
      if (allocatedUpTo >= target) {
        unblock(current);
        return false;
      }
      // Allocate in whole steps of at least MIN_LEAD, so a slow writer costs one call per MiB.
      long length = Math.max(target - allocatedUpTo, Math.min(MIN_LEAD, maxLead));
      length = blocks.allocate(allocatedUpTo, length);
      allocatedUpTo += length;
      counters.add(JournalCounter.BYTES_PREALLOCATED, length);
      if (allocatedUpTo >= target) {
        unblock(current);
      }
      return true;
    } catch (IOException | InternalError e) {
      if (!current.equals(writer.currentFile())) {
        return true; // The writer moved to a new cycle file; this one no longer matters.
      }
      // A failure while allocating ahead means the disk cannot back the file: report it before
      // the writer takes the same fault on the journal thread. A full disk stops the writing
      // until blocks can be reserved again (retried every FULL_RETRY_NANOS); anything else is
      // final.
      String message = "cannot preallocate journal file blocks: " + e;
      if (JournalAppendHandler.classify(e) == JournalException.Reason.STORAGE_FULL) {
        blocked = true;
        state.preallocatorSaysFull(current.toPath(), message, e);
      } else {
        state.fail(JournalException.Reason.IO, current.toPath(), message, e);
      }
      return false;
    }
  }

  private void unblock(File current) {
    if (blocked) {
      blocked = false;
      state.preallocatorSaysFull(current.toPath(), null, null);
    }
  }

  /** How far ahead of the writer blocks should be allocated, from the recent write rate. */
  long lead() {
    long wanted = (long) Math.min(peakBytesPerSecond, (double) maxLead);
    return Math.min(maxLead, Math.max(MIN_LEAD, wanted));
  }

  private void observe(long position, long now) {
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    double rate = Math.max(0, position - windowStartPosition) * 1e9 / elapsed;
    double decayed = peakBytesPerSecond * Math.pow(0.5, (double) elapsed / DECAY_NANOS);
    peakBytesPerSecond = Math.max(rate, decayed);
    windowStart = now;
    windowStartPosition = position;
  }

  private void closeFile() {
    if (blocks != null) {
      blocks.close();
      blocks = null;
    }
    file = null;
  }
}
