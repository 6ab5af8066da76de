package io.meshlog.eventlog;

/**
 * Reads journaled events forwards. Unknown record types (written by a newer meshlog) are skipped.
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

  @Override
  void close();
}
