package io.meshlog.eventlog.journal;

/**
 * Counts the events a reader stepped over because the cycle files holding them were deleted before
 * it reached them. The journal numbers its records with a contiguous node sequence, so when two
 * events read one after the other are in different cycles and their sequences are {@code s} and
 * {@code t > s + 1}, the {@code t - s - 1} events between them were in cycle files that no longer
 * exist: retention (or an operator) deleted them. Within one cycle there is no such gap: a cycle
 * file is deleted whole.
 *
 * <p>Counting starts at the first event whose sequence is known (the first one read, or the one a
 * seek positioned the reader after); events deleted before it are behind the retention horizon, not
 * missed. Records of unknown type read in between carry sequences too, and are not counted.
 *
 * <p>Reads forwards only: going backwards a sequence never jumps up, and nothing is counted. Not
 * thread-safe: owned by its reader.
 */
final class DeletedEventCount {
  private static final long UNKNOWN = Long.MIN_VALUE;

  private long lastSequence = UNKNOWN;
  private int lastCycle;
  private long unknownRecordsSince;
  private long total;

  /** The reader was positioned somewhere whose preceding sequence is unknown, e.g. the start. */
  void forget() {
    lastSequence = UNKNOWN;
    unknownRecordsSince = 0;
  }

  /** The reader is positioned right after the event of this sequence, in this cycle. */
  void positionedAfter(long sequence, int cycle) {
    lastSequence = sequence;
    lastCycle = cycle;
    unknownRecordsSince = 0;
  }

  /** The reader skipped a record of unknown type. */
  void unknownRecord() {
    unknownRecordsSince++;
  }

  /**
   * The reader read the event of this sequence, in this cycle.
   *
   * @return how many events it stepped over to get there; 0 when none
   */
  long read(long sequence, int cycle) {
    long gap = 0;
    if (lastSequence != UNKNOWN && cycle != lastCycle) {
      gap = Math.max(0, sequence - lastSequence - 1 - unknownRecordsSince);
      total += gap;
    }
    positionedAfter(sequence, cycle);
    return gap;
  }

  /** Events stepped over since this count was created. */
  long total() {
    return total;
  }
}
