package io.meshlog.eventlog;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads journaled events forwards, each decoded into an {@link Event} ({@link #next(Event)}) or
 * read in place through an {@link EventView} ({@link #next(EventView)}, several times faster).
 * Unknown record types (written by a newer meshlog) are skipped. Cycle files that retention deletes
 * before the reader reaches them are stepped over and counted ({@link
 * #eventsDeletedUnderReader()}); damaged files throw {@link JournalException}.
 *
 * <p>Not thread-safe: one reader per thread. Close it to release its files.
 */
public interface JournalReader extends AutoCloseable {

  /** Positions the reader at the first event of the journal. */
  void toStart();

  /**
   * Positions the reader so that {@link #next(Event)} returns the first event whose index is
   * greater than {@code index}; an index before the journal's start reads from the start.
   */
  void toAfter(long index);

  /**
   * Decodes the next event into {@code into}.
   *
   * @return the event's journal index, or -1 when there is no further event now
   */
  long next(Event into);

  /**
   * Points {@code into} at the next event, read in place: the fast path, which allocates nothing
   * per event. The view stays valid until the next call on this reader.
   *
   * <p>This default, for readers that hold events rather than records (test doubles), decodes
   * through {@link #next(Event)} and encodes the event again for the view: correct, not fast. The
   * journal's own reader overrides it.
   *
   * @return the event's journal index, or -1 when there is no further event now
   */
  default long next(EventView into) {
    Event e = new Event();
    long index = next(e);
    if (index >= 0) {
      EventCodec codec = new EventCodec();
      int len = codec.encode(e);
      into.wrap(codec.buffer(), 0, len);
    }
    return index;
  }

  /**
   * Positions the reader at the first event (in journal order) whose time is at or after {@code
   * epochNanos}; past the end when there is none. This default scans from the start;
   * implementations may seek faster.
   */
  default void toTime(long epochNanos) {
    Event scratch = new Event();
    toStart();
    long previous = -1;
    long index;
    while ((index = next(scratch)) >= 0) {
      if (scratch.timeNanos() >= epochNanos) {
        break;
      }
      previous = index;
    }
    if (previous < 0) {
      toStart();
    } else {
      toAfter(previous);
    }
  }

  /**
   * Like {@link #next(Event)}, but when no event is there yet, polls for up to {@code maxWait}
   * (following a journal being written).
   *
   * @return the event's journal index, or -1 when none arrived within {@code maxWait} or the thread
   *     was interrupted
   */
  default long next(Event into, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    long pause = 1_000;
    while (true) {
      long index = next(into);
      if (index >= 0) {
        return index;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return -1;
      }
      LockSupport.parkNanos(Math.min(left, pause));
      pause = Math.min(pause * 2, 10_000_000);
    }
  }

  /**
   * How many events this reader stepped over, since it was opened, because the cycle files holding
   * them were deleted (by retention, or by hand) before it reached them. A reader never fails on
   * such a deletion: it goes on at the next cycle that exists.
   *
   * <p>Counted from node sequences, which the journal assigns without gaps: when the reader reads
   * an event whose sequence is more than one past the last event it read, in a later cycle, the
   * difference is added. The count therefore starts at the first event the reader reads (or the one
   * {@link #toAfter} positioned it after): events deleted before that, e.g. the cycles retention
   * removed before a reader positioned at the start read anything, are behind the retention horizon
   * and not counted. The rest of a cycle file deleted while the reader is in it is still read, and
   * not counted. Records of unknown type are not counted.
   *
   * <p>Same thread as {@link #next(Event)}. Readers that cannot lose events to retention return 0,
   * which this default does.
   *
   * @return the total number of events stepped over, 0 when none
   */
  default long eventsDeletedUnderReader() {
    return 0;
  }

  @Override
  void close();
}
