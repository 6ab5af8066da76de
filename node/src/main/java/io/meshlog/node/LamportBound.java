package io.meshlog.node;

import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.TopicValidator;
import io.meshlog.node.gossipsub.ValidationResult;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.reconciliation.MessageEnvelope;
import io.meshlog.reconciliation.order.ClockBound;
import java.util.function.ToLongFunction;

/**
 * The clock bound at every receiver ({@code reconciliation.maxLamportJump}): a gossip message whose
 * Lamport time lies more than the bound above the highest Lamport time a sequencer confirmed in its
 * topic is rejected before it is delivered, so it moves no clock; the router journals the
 * REJECT_MESSAGE with the reason, and the forwarder's score takes the invalid message (P4).
 *
 * <p>The reference is the confirmed time, never the receiver's own clock: a new or long-offline
 * node accepts a mesh far ahead of it. Before any confirmation in a topic there is no reference and
 * every time passes (the sequencer applies the same bound when it assigns). Plain messages without
 * an envelope (js, go) have no Lamport time and always pass.
 *
 * <p>Runs on the router thread; reads the reference without locking.
 */
final class LamportBound implements TopicValidator {
  private final ClockBound bound;
  private final ToLongFunction<String> confirmed;

  /**
   * @param confirmed the highest confirmed Lamport time of a topic, or {@link
   *     ClockBound#NO_REFERENCE}
   */
  LamportBound(ClockBound bound, ToLongFunction<String> confirmed) {
    this.bound = bound;
    this.confirmed = confirmed;
  }

  @Override
  public ValidationResult validate(PeerId forwarder, GossipMessage message) {
    long lamport = MessageEnvelope.lamportOf(message.data());
    return bound.accepts(lamport, confirmed.applyAsLong(message.topic()))
        ? ValidationResult.ACCEPT
        : ValidationResult.REJECT;
  }

  @Override
  public String reason(PeerId forwarder, GossipMessage message) {
    return "Lamport time "
        + MessageEnvelope.lamportOf(message.data())
        + " is more than reconciliation.maxLamportJump ("
        + bound.maxJump()
        + ") above "
        + confirmed.applyAsLong(message.topic())
        + ", the highest confirmed in the topic";
  }
}
