package io.meshlog.eventlog.journal;

import com.lmax.disruptor.EventHandler;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.metrics.CounterSet;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link JournaledEventHandler} on its own thread behind the journal thread. Skips events
 * the journal did not write, so the handler only sees journaled events. An exception is caught per
 * event, counted and logged (throttled); the handler keeps receiving events.
 */
final class GatedHandler implements EventHandler<EventSlot> {
  private final JournaledEventHandler handler;
  private final CounterSet<JournalCounter> counters;
  private final ThrottledLog log;
  private final String name;

  GatedHandler(JournaledEventHandler handler, CounterSet<JournalCounter> counters) {
    this.handler = handler;
    this.counters = counters;
    this.name = handler.getClass().getName();
    this.log = new ThrottledLog(LoggerFactory.getLogger(GatedHandler.class), 10_000_000_000L);
  }

  private final java.util.concurrent.CountDownLatch started =
      new java.util.concurrent.CountDownLatch(1);

  @Override
  public void onStart() {
    started.countDown();
  }

  /** See {@link JournalAppendHandler#awaitStarted}: the same holds for every consumer. */
  boolean awaitStarted(long millis) throws InterruptedException {
    return started.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void onEvent(EventSlot slot, long ringSequence, boolean endOfBatch) {
    long index = slot.journalIndex;
    try {
      if (index >= 0) {
        handler.onJournaled(slot.event, index, endOfBatch);
      } else if (endOfBatch) {
        handler.onBatchEnd(); // the unwritten slot ends the batch: let the handler commit
      }
    } catch (VirtualMachineError e) {
      throw e; // out of memory and the like: the pipeline's exception handler fails the journal
    } catch (Throwable e) {
      // A bug in one consumer (even an AssertionError) must not stop the others or the journal.
      counters.increment(JournalCounter.HANDLER_ERRORS);
      log.error("journaled-event handler " + name + " failed at journal index " + index, e);
    }
  }

  String name() {
    return name;
  }
}
