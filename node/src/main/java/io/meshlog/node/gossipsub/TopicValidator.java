package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.PeerId;

/**
 * Application validation of one topic's messages. Runs on the router thread, after the size limit,
 * signature and duplicate checks, so it must be quick and must not block.
 */
@FunctionalInterface
public interface TopicValidator {
  ValidationResult validate(PeerId forwarder, GossipMessage message);

  /**
   * Why {@code message} was refused, for its REJECT_MESSAGE or IGNORE event: called on the router
   * thread right after {@link #validate} refused it, with the same arguments.
   */
  default String reason(PeerId forwarder, GossipMessage message) {
    return "validator refused it";
  }
}
