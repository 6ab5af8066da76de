package io.meshlog.eventlog;

/**
 * Where producers hand P2P events to the journal: one call per event.
 *
 * <p>{@link #publish(Event)} copies the event's fields into a preallocated ring slot (field
 * references, not array contents) and returns; it never does disk I/O. When the ring is full it
 * waits for space — the journal never drops an event silently — and every such stall is counted.
 *
 * <p>Thread-safe: any number of threads may publish. The caller may reuse its {@link Event} right
 * after the call returns, but must not modify the arrays it put into it: they now belong to the
 * journal.
 */
@FunctionalInterface
public interface EventSink {

  /** A sink that discards everything; for tests and for measuring what journaling costs. */
  EventSink NOOP = event -> {};

  /**
   * Publishes one event.
   *
   * @throws IllegalStateException when the sink is closed or the journal has failed
   */
  void publish(Event event);
}
