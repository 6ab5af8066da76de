package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.MessageIdFunction;
import io.meshlog.node.gossipsub.MessageSigner;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.p2p.Identity;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * StrictSign authoring and checking of pubsub messages: the signature covers {@code
 * "libp2p-pubsub:"} followed by the protobuf encoding of the message without signature and key; the
 * key comes from the message's key field or is inlined in an Ed25519 peer id, and must match {@code
 * from}. Ed25519 keys only (what js-libp2p and go-libp2p nodes use by default), checked with
 * meshlog's Ed25519 ({@link Crypto}). Stateless; thread-safe.
 */
final class MessageSignatures {

  private MessageSignatures() {}

  /** Signs {@code unsigned} (which has from and seqno) and returns the message to publish. */
  static Rpc.PubMessage sign(Rpc.PubMessage unsigned, MessageSigner signer) {
    byte[] signature = signer.sign(RpcEncoder.signingBytes(unsigned));
    // js-libp2p always sends the key, even when the peer id inlines it; so do we, to look alike.
    return new Rpc.PubMessage(
        unsigned.from(),
        unsigned.data(),
        unsigned.seqno(),
        unsigned.topic(),
        signature,
        signer.publicKeyProtobuf());
  }

  /** Checks a received message under StrictSign; returns null when valid, else the reason. */
  static String checkStrictSign(Rpc.PubMessage m) {
    if (m.from() == null) {
      return "missing from";
    }
    if (m.seqno() == null) {
      return "missing seqno";
    }
    if (m.signature() == null) {
      return "missing signature";
    }
    byte[] keyProto = m.key();
    if (keyProto != null) {
      if (!Arrays.equals(peerIdOf(keyProto), m.from())) {
        return "key does not match from";
      }
    } else {
      keyProto = MessageIdFunction.inlinedKey(m.from());
      if (keyProto == null) {
        return "no public key";
      }
    }
    byte[] raw = ed25519Raw(keyProto);
    if (raw == null) {
      return "unsupported or malformed public key";
    }
    return Identity.verify(raw, RpcEncoder.signingBytes(m), m.signature())
        ? null
        : "invalid signature";
  }

  /** Checks a received message under StrictNoSign; returns null when valid, else the reason. */
  static String checkStrictNoSign(Rpc.PubMessage m) {
    if (m.from() != null || m.seqno() != null || m.signature() != null || m.key() != null) {
      return "unexpected author fields under StrictNoSign";
    }
    return null;
  }

  /**
   * The libp2p peer id of a public key protobuf: identity multihash up to 42 bytes, else sha256.
   */
  static byte[] peerIdOf(byte[] keyProto) {
    if (keyProto.length <= 42) {
      byte[] id = new byte[keyProto.length + 2];
      id[0] = 0x00;
      id[1] = (byte) keyProto.length;
      System.arraycopy(keyProto, 0, id, 2, keyProto.length);
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyProto);
      byte[] id = new byte[34];
      id[0] = 0x12;
      id[1] = 0x20;
      System.arraycopy(digest, 0, id, 2, 32);
      return id;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The 32 raw key bytes of an Ed25519 PublicKey protobuf {Type=1, Data=32 bytes}, or null. */
  private static byte[] ed25519Raw(byte[] p) {
    if (p.length == 36 && p[0] == 0x08 && p[1] == 0x01 && p[2] == 0x12 && p[3] == 0x20) {
      return Arrays.copyOfRange(p, 4, 36);
    }
    return null;
  }
}
