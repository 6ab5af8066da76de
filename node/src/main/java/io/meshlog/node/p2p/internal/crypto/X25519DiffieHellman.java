package io.meshlog.node.p2p.internal.crypto;

import java.security.InvalidKeyException;

/**
 * X25519 Diffie-Hellman (RFC 7748) over raw 32-byte little-endian private scalars and public u
 * coordinates. Implementations are stateless and thread-safe.
 */
public interface X25519DiffieHellman {

  int KEY_BYTES = 32;

  /** A fresh random private key (from the JDK's default {@code SecureRandom}). */
  byte[] generatePrivateKey();

  /** The public key X25519(privateKey, 9). */
  byte[] publicKey(byte[] privateKey);

  /**
   * The shared secret X25519(privateKey, remotePublic); the top bit of the remote u coordinate is
   * ignored (RFC 7748 section 5).
   *
   * @throws InvalidKeyException if the remote key is of low order (the secret would be all zero)
   */
  byte[] agree(byte[] privateKey, byte[] remotePublic) throws InvalidKeyException;

  /** Which implementation this is, for logs and the benchmark. */
  CryptoProvider provider();
}
