package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.Event;

/**
 * Lets the application read ordering facts out of a message's data into the router's own journal
 * events, so that a PUBLISH_MESSAGE or DELIVER_MESSAGE record carries them (e.g. the Lamport time
 * and publish time of meshlog's message envelope) without a second event per message.
 *
 * <p>Called on the router thread once per published or first-delivered message, with the event
 * about to be journaled ({@link Event#type()} says which): it must not block, allocate per call or
 * keep the event. Any exception is counted by the router as a handler error and the event is
 * journaled as it stands.
 */
@FunctionalInterface
public interface EnvelopeInspector {

  /** Leaves every event as the router made it. */
  EnvelopeInspector NONE = (data, event) -> {};

  /**
   * @param data the message data as sent on the wire, never null
   * @param event the journal event to complete (set fields such as lamport or value)
   */
  void inspect(byte[] data, Event event);
}
