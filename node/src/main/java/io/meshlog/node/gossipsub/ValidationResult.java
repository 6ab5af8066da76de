package io.meshlog.node.gossipsub;

/** An application validator's verdict on a message, as in libp2p pubsub. */
public enum ValidationResult {
  /** Deliver locally and forward. */
  ACCEPT,
  /** Invalid: drop, do not forward, and penalise the forwarder (score P4). */
  REJECT,
  /** Not forwarded and not delivered, without penalty (e.g. stale or unwanted). */
  IGNORE
}
