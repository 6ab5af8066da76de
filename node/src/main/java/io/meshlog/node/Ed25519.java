package io.meshlog.node;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 on the JDK provider, converting between the raw 32-byte forms libp2p puts on the wire and
 * the JDK's key objects.
 *
 * <p>A raw public key is the RFC 8032 encoding: the y coordinate little-endian, with the parity of
 * x in the top bit of the last byte. The JDK models it as an {@link EdECPoint}(xOdd, y), so the
 * conversion flips byte order and moves that bit. The JDK cannot derive a public key from a seed
 * directly, so {@link #publicFromSeed} runs the key pair generator on a random source that yields
 * exactly the seed (the generator's seed is the 32 bytes it draws).
 *
 * <p>Stateless and thread-safe.
 */
final class Ed25519 {

  static final int KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;
  private static final String ALGORITHM = "Ed25519";

  private Ed25519() {}

  /** Generates a fresh seed (the 32-byte private key). */
  static byte[] newSeed() {
    byte[] seed = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(seed);
    return seed;
  }

  static PrivateKey privateKey(byte[] seed) {
    checkLength(seed, "private key");
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK Ed25519 provider refused a 32-byte key", e);
    }
  }

  /** Returns the raw public key that belongs to {@code seed}. */
  static byte[] publicFromSeed(byte[] seed) {
    checkLength(seed, "private key");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
      KeyPair pair = generator.generateKeyPair();
      return raw((EdECPublicKey) pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK Ed25519 provider failed to derive a public key", e);
    }
  }

  /**
   * Converts a raw public key to a JDK key.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes or not a curve point
   */
  static PublicKey publicKey(byte[] raw) {
    checkLength(raw, "public key");
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = raw[KEY_BYTES - 1 - i];
    }
    boolean xOdd = (bigEndian[0] & 0x80) != 0;
    bigEndian[0] &= 0x7F;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  static byte[] raw(EdECPublicKey key) {
    EdECPoint point = key.getPoint();
    byte[] y = point.getY().toByteArray(); // big-endian, maybe with a sign byte
    byte[] raw = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES && i < y.length; i++) {
      raw[i] = y[y.length - 1 - i];
    }
    if (point.isXOdd()) {
      raw[KEY_BYTES - 1] |= (byte) 0x80;
    }
    return raw;
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Verifies; any malformed key or signature is simply "not valid". */
  static boolean verify(byte[] rawPublicKey, byte[] data, byte[] sig) {
    if (rawPublicKey.length != KEY_BYTES || sig.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(publicKey(rawPublicKey));
      signature.update(data);
      return signature.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkLength(byte[] key, String what) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 " + what + " must be 32 bytes, got " + key.length);
    }
  }

  /** A random source that yields one fixed seed; see the class comment. */
  @SuppressWarnings("serial")
  private static final class FixedSeed extends SecureRandom {
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
      Arrays.fill(seed, (byte) 0);
    }
  }
}
