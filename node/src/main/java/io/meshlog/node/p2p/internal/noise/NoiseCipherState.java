package io.meshlog.node.p2p.internal.noise;

import io.meshlog.node.p2p.internal.crypto.ChaChaPolyAead;
import io.meshlog.node.p2p.internal.crypto.Crypto;
import javax.crypto.AEADBadTagException;

/**
 * A Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit message counter n, used as the
 * nonce (four zero bytes then n little-endian, per the Noise spec). No rekey.
 *
 * <p>One {@link ChaChaPolyAead} engine per state, obtained once from {@link Crypto} (the JDK's
 * unless {@code meshlog.crypto.provider} says otherwise); the nonce buffer is reused. Transport
 * encryption is split into {@link #beginEncrypt}/{@link #encryptUpdate}/{@link #finishEncrypt} so
 * that several small writes can be encrypted into one frame without first being copied together.
 *
 * <p>Not thread-safe: owned by one connection's event loop (or one test thread).
 */
final class NoiseCipherState {

  static final int TAG_BYTES = ChaChaPolyAead.TAG_BYTES;
  private static final byte[] EMPTY = new byte[0];

  private final ChaChaPolyAead cipher = Crypto.newChaCha20Poly1305();
  private final byte[] nonce = new byte[ChaChaPolyAead.NONCE_BYTES];
  private boolean hasKey;
  private long n;

  void initializeKey(byte[] k) {
    cipher.setKey(k);
    hasKey = true;
    n = 0;
  }

  boolean hasKey() {
    return hasKey;
  }

  /** Handshake encryption: returns ciphertext plus tag, or the plaintext itself when keyless. */
  byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
    if (!hasKey) {
      return plaintext;
    }
    nextNonce();
    return cipher.seal(nonce, ad, plaintext);
  }

  /** Handshake decryption; the inverse of {@link #encryptWithAd}. */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (!hasKey) {
      return ciphertext;
    }
    if (ciphertext.length < TAG_BYTES) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE, "ciphertext shorter than its tag");
    }
    nextNonce();
    try {
      return cipher.open(nonce, ad, ciphertext);
    } catch (AEADBadTagException e) {
      throw new NoiseException(NoiseException.Reason.DECRYPT_FAILED, "handshake message", e);
    }
  }

  /** Starts one transport message (empty associated data) under the next nonce. */
  void beginEncrypt() throws NoiseException {
    nextNonce();
    cipher.beginEncrypt(nonce, EMPTY);
  }

  /** Encrypts part of the current message; returns the bytes written to {@code out}. */
  int encryptUpdate(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    return cipher.encryptUpdate(in, inOffset, length, out, outOffset);
  }

  /** Ends the current message, writing what is left and the tag; returns the bytes written. */
  int finishEncrypt(byte[] out, int outOffset) {
    return cipher.finishEncrypt(out, outOffset);
  }

  /**
   * Decrypts one transport message (ciphertext and tag) under the next nonce; returns the plaintext
   * length written to {@code out}.
   */
  int decrypt(byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws NoiseException {
    nextNonce();
    try {
      return cipher.decrypt(nonce, EMPTY, in, inOffset, length, out, outOffset);
    } catch (AEADBadTagException e) {
      throw new NoiseException(
          NoiseException.Reason.DECRYPT_FAILED, "transport message " + (n - 1), e);
    }
  }

  private void nextNonce() throws NoiseException {
    if (n == -1L) { // 2^64-1 is reserved by the Noise spec
      throw new NoiseException(NoiseException.Reason.NONCE_EXHAUSTED, "nonce 2^64-1 reached");
    }
    long v = n++;
    for (int i = 4; i < 12; i++) {
      nonce[i] = (byte) v;
      v >>>= 8;
    }
  }
}
