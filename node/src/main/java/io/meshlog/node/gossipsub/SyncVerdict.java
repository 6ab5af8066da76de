package io.meshlog.node.gossipsub;

/** What the router made of a message fetched by sync ({@link Gossipsub#deliverSynced}). */
public enum SyncVerdict {
  /** Verified and delivered: journaled as DELIVER_MESSAGE with {@code via = sync}. */
  DELIVERED,
  /** Already seen (by gossip, or an earlier sync): nothing delivered. */
  DUPLICATE,
  /**
   * Forged or not what it claims (bad signature, message id not its content's): rejected, journaled
   * as REJECT_MESSAGE, and the source scored down (P4, invalid message deliveries).
   */
  INVALID,
  /** This node is not subscribed to its topic: ignored. */
  NOT_SUBSCRIBED
}
