package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.node.gossipsub.EnvelopeInspector;
import io.meshlog.reconciliation.MessageEnvelope;

/**
 * Copies the envelope's ordering facts into the router's journal events: {@code lamport} on
 * PUBLISH_MESSAGE and DELIVER_MESSAGE, and on DELIVER_MESSAGE {@code value} = the publisher's wall
 * time, which the projections turn into delivery latency. Plain data (from js or go peers) leaves
 * both absent. Reads the header in place: no allocation on the router thread.
 */
final class EnvelopeFacts implements EnvelopeInspector {

  @Override
  public void inspect(byte[] data, Event event) {
    long lamport = MessageEnvelope.lamportOf(data);
    if (lamport == MessageEnvelope.ABSENT) {
      return;
    }
    event.lamport(lamport);
    if (event.type() == EventType.DELIVER_MESSAGE) {
      event.value(MessageEnvelope.publishTimeOf(data));
    }
  }
}
