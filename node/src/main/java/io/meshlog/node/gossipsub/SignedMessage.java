package io.meshlog.node.gossipsub;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcLimits;
import java.util.List;

/**
 * A pubsub message with its author fields, as its publisher signed it: what the sync protocol
 * carries from one node's journal to another. {@link #encode()} writes the libp2p pubsub {@code
 * Message} protobuf (the bytes a gossip RPC's {@code publish} entry holds), so a receiver checks
 * the signature over exactly what the publisher signed. Absent fields are null. Immutable by
 * convention: the arrays are held by reference.
 *
 * @param from publisher peer id bytes
 * @param data payload
 * @param seqno the publisher's gossip sequence number bytes
 * @param topic the topic
 * @param signature the StrictSign signature
 * @param key the publisher's public key protobuf, or null when the peer id inlines it
 */
public record SignedMessage(
    byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {

  /** The pubsub {@code Message} protobuf. */
  public byte[] encode() {
    byte[] rpc = RpcEncoder.encode(new Rpc(List.of(), List.of(toRpc()), null));
    // An RPC holding one publish entry is: tag 0x12, varint length, the Message.
    int at = 1;
    while ((rpc[at] & 0x80) != 0) {
      at++;
    }
    return java.util.Arrays.copyOfRange(rpc, at + 1, rpc.length);
  }

  /**
   * Decodes a pubsub {@code Message} protobuf of at most {@code maxBytes}, topics up to 1024 bytes.
   *
   * @throws IllegalArgumentException when it is malformed or too large
   */
  public static SignedMessage decode(byte[] bytes, int maxBytes) {
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "message of " + bytes.length + " bytes exceeds " + maxBytes);
    }
    byte[] rpc = new byte[bytes.length + 6];
    int n = 0;
    rpc[n++] = 0x12;
    int len = bytes.length;
    while ((len & ~0x7F) != 0) {
      rpc[n++] = (byte) ((len & 0x7F) | 0x80);
      len >>>= 7;
    }
    rpc[n++] = (byte) len;
    System.arraycopy(bytes, 0, rpc, n, bytes.length);
    byte[] whole = java.util.Arrays.copyOf(rpc, n + bytes.length);
    RpcLimits limits = new RpcLimits(whole.length, maxBytes, 0, 1, 0, 0, 0, 1024, 256, 128);
    try {
      Rpc decoded = RpcDecoder.decode(whole, limits);
      if (decoded.publish().size() != 1) {
        throw new IllegalArgumentException("not one message");
      }
      return of(decoded.publish().get(0));
    } catch (RpcDecodeException e) {
      throw new IllegalArgumentException("malformed message: " + e.getMessage(), e);
    }
  }

  private Rpc.PubMessage toRpc() {
    return new Rpc.PubMessage(from, data, seqno, topic, signature, key);
  }

  private static SignedMessage of(Rpc.PubMessage m) {
    return new SignedMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), m.key());
  }
}
