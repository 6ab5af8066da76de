package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.internal.crypto.Crypto;
import io.meshlog.node.p2p.internal.crypto.Ed25519;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;

/**
 * A {@link MessageSigner} over an Ed25519 key, deriving the libp2p peer id (identity multihash of
 * the key protobuf) itself. Signs with meshlog's Ed25519 (see {@code meshlog.crypto.provider}).
 * Thread-safe.
 */
public final class Ed25519MessageSigner implements MessageSigner {

  private final Ed25519.SigningKey key;
  private final byte[] publicKeyProtobuf;
  private final byte[] peerId;

  /**
   * A signer for a JDK Ed25519 key pair.
   *
   * @throws IllegalArgumentException if the pair is not Ed25519 or its private key does not expose
   *     its 32-byte seed
   */
  public Ed25519MessageSigner(KeyPair keyPair) {
    this(seedOf(keyPair));
  }

  private Ed25519MessageSigner(byte[] seed) {
    key = Crypto.ed25519().signingKey(seed);
    byte[] raw = key.publicKey();
    publicKeyProtobuf = new byte[36];
    publicKeyProtobuf[0] = 0x08; // field 1 (Type), varint
    publicKeyProtobuf[1] = 0x01; // Ed25519
    publicKeyProtobuf[2] = 0x12; // field 2 (Data), bytes
    publicKeyProtobuf[3] = 0x20; // 32
    System.arraycopy(raw, 0, publicKeyProtobuf, 4, 32);
    peerId = new byte[38];
    peerId[0] = 0x00; // identity multihash
    peerId[1] = 0x24; // 36 bytes
    System.arraycopy(publicKeyProtobuf, 0, peerId, 2, 36);
  }

  /** A signer with a fresh random key. */
  public static Ed25519MessageSigner generate() {
    byte[] seed = new byte[Ed25519.KEY_BYTES];
    new SecureRandom().nextBytes(seed);
    return new Ed25519MessageSigner(seed);
  }

  private static byte[] seedOf(KeyPair keyPair) {
    if (!(keyPair.getPrivate() instanceof EdECPrivateKey)) {
      throw new IllegalArgumentException("not an Ed25519 key pair");
    }
    return ((EdECPrivateKey) keyPair.getPrivate())
        .getBytes()
        .orElseThrow(() -> new IllegalArgumentException("Ed25519 private key hides its seed"));
  }

  @Override
  public byte[] peerId() {
    return peerId.clone();
  }

  @Override
  public byte[] publicKeyProtobuf() {
    return publicKeyProtobuf.clone();
  }

  @Override
  public byte[] sign(byte[] data) {
    return key.sign(data);
  }
}
