package io.meshlog.node.gossipsub;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Computes a message's id from its fields. Every node of a mesh must use the same function, since
 * IHAVE/IWANT and duplicate detection compare ids. Must be pure and thread-safe.
 */
@FunctionalInterface
public interface MessageIdFunction {

  /**
   * @param from publisher peer id bytes, or null
   * @param seqno sequence number bytes, or null
   * @param topic topic
   * @param data payload, never null (empty when absent)
   * @param key publisher public key protobuf when carried in the message, or null
   * @return the id; never null
   * @throws IllegalArgumentException when the message lacks what the function needs
   */
  byte[] messageId(byte[] from, byte[] seqno, String topic, byte[] data, byte[] key);

  /**
   * The default, compatible with current js-libp2p gossipsub under StrictSign: the publisher's
   * public key in libp2p protobuf form (inlined in an Ed25519 peer id, else the message's key
   * field) followed by the sequence number as 8 big-endian bytes. (Older js releases used the peer
   * id bytes instead of the key; go-libp2p uses the textual form — neither is this one.)
   */
  MessageIdFunction STRICT_SIGN_JS = MessageIdFunction::publicKeyAndSeqno;

  /** SHA-256 of the payload: for StrictNoSign meshes (js {@code msgIdFnStrictNoSign}). */
  MessageIdFunction DATA_SHA256 =
      (from, seqno, topic, data, key) -> {
        try {
          return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
      };

  private static byte[] publicKeyAndSeqno(
      byte[] from, byte[] seqno, String topic, byte[] data, byte[] key) {
    if (seqno == null) {
      throw new IllegalArgumentException("missing seqno");
    }
    byte[] pub = inlinedKey(from);
    if (pub == null) {
      pub = key;
    }
    if (pub == null) {
      throw new IllegalArgumentException(
          "no public key: peer id does not inline one, no key field");
    }
    // js turns the seqno into a bigint and prints it back as at least 16 hex digits.
    int start = 0;
    while (start < seqno.length - 1 && seqno[start] == 0) {
      start++;
    }
    int significant = seqno.length - start;
    int width = Math.max(8, significant);
    byte[] id = new byte[pub.length + width];
    System.arraycopy(pub, 0, id, 0, pub.length);
    System.arraycopy(seqno, start, id, pub.length + width - significant, significant);
    return id;
  }

  /** The public key protobuf inlined in an identity-multihash peer id, or null. */
  static byte[] inlinedKey(byte[] peerId) {
    if (peerId == null || peerId.length < 2 || peerId[0] != 0) {
      return null;
    }
    int len = peerId[1] & 0xff;
    if (len >= 0x80 || len != peerId.length - 2) {
      return null;
    }
    return Arrays.copyOfRange(peerId, 2, peerId.length);
  }
}
