package io.meshlog.node.internal.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit message counter n, used as the
 * nonce (four zero bytes then n little-endian, per the Noise spec). No rekey.
 *
 * <p>One JDK {@link Cipher} per state, obtained once. The JDK's ChaCha20-Poly1305 has to be
 * re-initialised for every message (it refuses to encrypt twice under one nonce), so each message
 * costs one {@code init} with a fresh {@link IvParameterSpec}; the key object and the nonce buffer
 * are reused. Transport encryption is split into {@link #beginEncrypt}/{@link
 * #encryptUpdate}/{@link #finishEncrypt} so that several small writes can be encrypted into one
 * frame without first being copied together.
 *
 * <p>Not thread-safe: owned by one connection's event loop (or one test thread).
 */
final class NoiseCipherState {

  static final int TAG_BYTES = 16;
  private static final byte[] EMPTY = new byte[0];

  private final Cipher cipher;
  private final byte[] nonce = new byte[12];
  private SecretKeySpec key;
  private long n;

  NoiseCipherState() {
    try {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK ChaCha20-Poly1305 unavailable", e);
    }
  }

  void initializeKey(byte[] k) {
    key = new SecretKeySpec(k, "ChaCha20");
    n = 0;
  }

  boolean hasKey() {
    return key != null;
  }

  /** Handshake encryption: returns ciphertext plus tag, or the plaintext itself when keyless. */
  byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
    if (key == null) {
      return plaintext;
    }
    init(Cipher.ENCRYPT_MODE);
    try {
      cipher.updateAAD(ad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /** Handshake decryption; the inverse of {@link #encryptWithAd}. */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (key == null) {
      return ciphertext;
    }
    if (ciphertext.length < TAG_BYTES) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE, "ciphertext shorter than its tag");
    }
    init(Cipher.DECRYPT_MODE);
    try {
      cipher.updateAAD(ad);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException(NoiseException.Reason.DECRYPT_FAILED, "handshake message", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  /** Starts one transport message (empty associated data) under the next nonce. */
  void beginEncrypt() throws NoiseException {
    init(Cipher.ENCRYPT_MODE);
  }

  /** Encrypts part of the current message; returns the bytes written to {@code out}. */
  int encryptUpdate(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    try {
      return cipher.update(in, inOffset, length, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /** Ends the current message, writing what is left and the tag; returns the bytes written. */
  int finishEncrypt(byte[] out, int outOffset) {
    try {
      return cipher.doFinal(EMPTY, 0, 0, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  /**
   * Decrypts one transport message (ciphertext and tag) under the next nonce; returns the plaintext
   * length written to {@code out}.
   */
  int decrypt(byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws NoiseException {
    init(Cipher.DECRYPT_MODE);
    try {
      return cipher.doFinal(in, inOffset, length, out, outOffset);
    } catch (AEADBadTagException e) {
      throw new NoiseException(
          NoiseException.Reason.DECRYPT_FAILED, "transport message " + (n - 1), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  private void init(int mode) throws NoiseException {
    if (n == -1L) { // 2^64-1 is reserved by the Noise spec
      throw new NoiseException(NoiseException.Reason.NONCE_EXHAUSTED, "nonce 2^64-1 reached");
    }
    long v = n++;
    for (int i = 4; i < 12; i++) {
      nonce[i] = (byte) v;
      v >>>= 8;
    }
    try {
      cipher.init(mode, key, new IvParameterSpec(nonce));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 refused key or nonce", e);
    }
  }
}
