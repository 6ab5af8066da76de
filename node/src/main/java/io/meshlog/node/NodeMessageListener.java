package io.meshlog.node;

import io.meshlog.reconciliation.MessageEnvelope;

/**
 * Receives each message of a joined topic once, after the node's Lamport clock has witnessed it.
 * Called on the router thread: hand work off, never block.
 */
@FunctionalInterface
public interface NodeMessageListener {

  /**
   * @param topic the topic
   * @param origin the publisher's peer id bytes, or null when the mesh does not sign
   * @param envelope the decoded data; {@link MessageEnvelope#isEnveloped()} is false for data a
   *     non-meshlog peer published
   */
  void onMessage(String topic, byte[] origin, MessageEnvelope envelope);
}
