package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.node.gossipsub.EnvelopeInspector;
import io.meshlog.reconciliation.MessageEnvelope;
import java.util.function.Function;

/**
 * The node's one reader of message envelopes on the router thread. It copies the envelope's
 * ordering facts into the router's journal events — {@code lamport} on PUBLISH_MESSAGE and
 * DELIVER_MESSAGE, and on DELIVER_MESSAGE {@code value} = the publisher's wall time, which the
 * projections turn into delivery latency; plain data (from js or go peers) leaves both absent — and
 * hands the envelope it decoded for a delivery on to the node's message handler.
 *
 * <pre>
 *  router thread: deliver ─► inspect(data, DELIVER_MESSAGE)  decode once, keep it
 *                        └─► handler ─► delivered(data)     the kept envelope (same array)
 * </pre>
 *
 * <p>The router journals a delivery, then calls the handler with the same data, so each delivered
 * envelope is decoded once. A publish only needs the Lamport time, read from the header in place.
 * Not thread-safe; owned by the router thread.
 */
final class EnvelopeFacts implements EnvelopeInspector {
  private final Function<byte[], MessageEnvelope> decoder;
  private byte[] keptData;
  private MessageEnvelope kept;

  EnvelopeFacts() {
    this(MessageEnvelope::decode);
  }

  /** With the decoder the deliveries go through (a test counts calls). */
  EnvelopeFacts(Function<byte[], MessageEnvelope> decoder) {
    this.decoder = decoder;
  }

  @Override
  public void inspect(byte[] data, Event event) {
    if (event.type() == EventType.DELIVER_MESSAGE) {
      MessageEnvelope envelope = decoder.apply(data);
      keptData = data;
      kept = envelope;
      if (envelope.isEnveloped()) {
        event.lamport(envelope.lamport());
        event.value(envelope.publishTimeNanos());
      }
      return;
    }
    long lamport = MessageEnvelope.lamportOf(data);
    if (lamport != MessageEnvelope.ABSENT) {
      event.lamport(lamport);
    }
  }

  /**
   * The envelope of a message the router is delivering: the one decoded when its delivery was
   * journaled, or (for data not seen, such as an empty message) a fresh decoding.
   */
  MessageEnvelope delivered(byte[] data) {
    MessageEnvelope envelope = data == keptData && kept != null ? kept : decoder.apply(data);
    keptData = null;
    kept = null;
    return envelope;
  }
}
