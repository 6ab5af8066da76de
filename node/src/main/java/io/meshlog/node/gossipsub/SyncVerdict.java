package io.meshlog.node.gossipsub;

/** What the router made of a message fetched by sync ({@link Gossipsub#deliverSynced}). */
public enum SyncVerdict {
  /** Verified and delivered: journaled as DELIVER_MESSAGE with {@code via = sync}. */
  DELIVERED,
  /** Already seen (by gossip, or an earlier sync): nothing delivered. */
  DUPLICATE,
  /**
   * Forged or not what it claims (bad signature, message id not its content's), or refused by the
   * topic's validator: rejected, journaled as REJECT_MESSAGE with the reason, and the source scored
   * down (P4, invalid message deliveries).
   */
  INVALID,
  /**
   * The topic's validator ignored it (no penalty): journaled as REJECT_MESSAGE with the reason,
   * nothing delivered.
   */
  IGNORED,
  /** This node is not subscribed to its topic: ignored. */
  NOT_SUBSCRIBED
}
