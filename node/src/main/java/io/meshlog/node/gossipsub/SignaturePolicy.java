package io.meshlog.node.gossipsub;

/** How messages are authored and checked (libp2p pubsub signature policies). */
public enum SignaturePolicy {
  /** Sign own messages; reject any message without a valid signature, from, seqno. Default. */
  STRICT_SIGN,
  /** Publish without from/seqno/signature/key; reject any message that carries them. */
  STRICT_NO_SIGN
}
