package io.meshlog.eventlog;

/**
 * A consumer of events the journal has already accepted, in journal order. The pipeline gates every
 * such handler on the journal handler, so a handler never sees an event that was not journaled.
 *
 * <p>Called on one thread owned by the pipeline; implementations need no locking of their own for
 * state touched only here. {@code endOfBatch} marks the last event of a Disruptor batch: the place
 * to do I/O (commit a RocksDB write batch, publish counters).
 */
public interface JournaledEventHandler {

  /**
   * Applies one journaled event.
   *
   * @param event the decoded event; reused after the call returns, so copy what you keep
   * @param journalIndex the event's journal index; strictly increasing across calls
   * @param endOfBatch true on the last event of the current batch
   */
  void onJournaled(Event event, long journalIndex, boolean endOfBatch) throws Exception;

  /**
   * Called instead of {@link #onJournaled} when a batch ends on an event the journal did not write
   * (an oversized or rejected one), so that work deferred to the end of a batch is not left waiting
   * for the next batch. The default does nothing.
   */
  default void onBatchEnd() throws Exception {}
}
