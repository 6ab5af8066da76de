package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.Identity;
import java.security.KeyPair;
import java.security.interfaces.EdECPrivateKey;

/**
 * A {@link MessageSigner} over an Ed25519 key: the libp2p {@link Identity} of that key, which
 * derives the peer id and signs with meshlog's Ed25519 (see {@code meshlog.crypto.provider}).
 * Thread-safe.
 */
public final class Ed25519MessageSigner implements MessageSigner {

  private final Identity identity;
  private final byte[] peerId;

  /**
   * A signer for a JDK Ed25519 key pair.
   *
   * @throws IllegalArgumentException if the pair is not Ed25519 or its private key does not expose
   *     its 32-byte seed
   */
  public Ed25519MessageSigner(KeyPair keyPair) {
    this(Identity.fromSeed(seedOf(keyPair)));
  }

  private Ed25519MessageSigner(Identity identity) {
    this.identity = identity;
    this.peerId = identity.peerId().bytes();
  }

  /** A signer with a fresh random key. */
  public static Ed25519MessageSigner generate() {
    return new Ed25519MessageSigner(Identity.generate());
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
    return identity.publicKeyProtobuf();
  }

  @Override
  public byte[] sign(byte[] data) {
    return identity.sign(data);
  }
}
