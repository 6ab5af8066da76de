package io.meshlog.node.gossipsub;

/**
 * A pubsub message as delivered to the application.
 *
 * @param id the message id (from the configured id function)
 * @param topic the topic
 * @param from the original publisher's peer id bytes, or null when unsigned
 * @param seqno the publisher's sequence number bytes, or null
 * @param data the payload
 */
public record GossipMessage(byte[] id, String topic, byte[] from, byte[] seqno, byte[] data) {

  /** The sequence number as an unsigned 64-bit value (its last 8 bytes), or -1 when absent. */
  public long seqnoAsLong() {
    if (seqno == null || seqno.length == 0) {
      return -1;
    }
    long v = 0;
    for (int i = Math.max(0, seqno.length - 8); i < seqno.length; i++) {
      v = (v << 8) | (seqno[i] & 0xff);
    }
    return v;
  }
}
