package io.meshlog.node.p2p.internal.noise;

import io.meshlog.node.p2p.internal.crypto.Crypto;
import java.security.GeneralSecurityException;

/**
 * The Noise DH functions for curve 25519 (RFC 7748) over raw 32-byte keys, on whichever X25519
 * {@link Crypto} chose. Stateless and thread-safe.
 */
final class NoiseDh {

  static final int KEY_BYTES = io.meshlog.node.p2p.internal.crypto.X25519DiffieHellman.KEY_BYTES;
  private static final io.meshlog.node.p2p.internal.crypto.X25519DiffieHellman IMPL =
      Crypto.x25519();

  /** A key pair: the raw private scalar and the raw public key. */
  record KeyPair(byte[] privateKey, byte[] publicKey) {}

  private NoiseDh() {}

  static KeyPair generate() {
    return fromPrivate(IMPL.generatePrivateKey());
  }

  /** A key pair from a raw private scalar; its public key is X25519(k, 9). For test vectors. */
  static KeyPair fromPrivate(byte[] scalar) {
    byte[] k = scalar.clone();
    return new KeyPair(k, IMPL.publicKey(k));
  }

  /**
   * The shared secret X25519(privateKey, remotePublic).
   *
   * @throws GeneralSecurityException if the remote key is of low order (an all-zero result)
   */
  static byte[] dh(byte[] privateKey, byte[] remotePublic) throws GeneralSecurityException {
    return IMPL.agree(privateKey, remotePublic);
  }
}
