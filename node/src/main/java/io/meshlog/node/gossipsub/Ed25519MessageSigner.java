package io.meshlog.node.gossipsub;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

/**
 * A {@link MessageSigner} over a JDK Ed25519 key pair, deriving the libp2p peer id (identity
 * multihash of the key protobuf) itself. Thread-safe.
 */
public final class Ed25519MessageSigner implements MessageSigner {
  private static final int X509_PREFIX = 12; // SubjectPublicKeyInfo header before the 32 key bytes

  private final KeyPair keyPair;
  private final byte[] publicKeyProtobuf;
  private final byte[] peerId;

  public Ed25519MessageSigner(KeyPair keyPair) {
    this.keyPair = keyPair;
    byte[] x509 = keyPair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(x509, X509_PREFIX, x509.length);
    if (raw.length != 32) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
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
    try {
      return new Ed25519MessageSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JDK", e);
    }
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
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keyPair.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
