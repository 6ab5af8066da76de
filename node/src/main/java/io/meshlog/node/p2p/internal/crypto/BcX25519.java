package io.meshlog.node.p2p.internal.crypto;

import java.security.InvalidKeyException;
import java.security.SecureRandom;

/** X25519 on BouncyCastle's RFC 7748 arithmetic, on byte arrays. Stateless and thread-safe. */
final class BcX25519 implements X25519DiffieHellman {

  static final BcX25519 INSTANCE = new BcX25519();
  private static final SecureRandom RANDOM = new SecureRandom();

  private BcX25519() {}

  @Override
  public byte[] generatePrivateKey() {
    byte[] k = new byte[KEY_BYTES];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(RANDOM, k);
    return k;
  }

  @Override
  public byte[] publicKey(byte[] privateKey) {
    check(privateKey, "private key");
    byte[] pk = new byte[KEY_BYTES];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, pk, 0);
    return pk;
  }

  @Override
  public byte[] agree(byte[] privateKey, byte[] remotePublic) throws InvalidKeyException {
    check(privateKey, "private key");
    check(remotePublic, "public key");
    byte[] secret = new byte[KEY_BYTES];
    if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
        privateKey, 0, remotePublic, 0, secret, 0)) {
      throw new InvalidKeyException("X25519 public key of low order");
    }
    return secret;
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.BOUNCYCASTLE;
  }

  private static void check(byte[] key, String what) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("X25519 " + what + " must be 32 bytes, got " + key.length);
    }
  }
}
