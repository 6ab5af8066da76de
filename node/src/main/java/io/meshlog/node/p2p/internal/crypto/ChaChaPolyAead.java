package io.meshlog.node.p2p.internal.crypto;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The ChaCha20-Poly1305 AEAD (RFC 8439): 32-byte key, 12-byte nonce, 16-byte tag appended to the
 * ciphertext. One key is set once and used for many messages, each under its own nonce; the caller
 * owns nonce uniqueness (Noise uses a counter).
 *
 * <p>Encryption can be fed in pieces ({@link #beginEncrypt}, {@link #encryptUpdate}, {@link
 * #finishEncrypt}) so that several buffers become one message without being copied together.
 * Decryption takes one whole message.
 *
 * <p>Not thread-safe: one instance per direction of one connection (or one thread).
 */
public interface ChaChaPolyAead {

  int KEY_BYTES = 32;
  int NONCE_BYTES = 12;
  int TAG_BYTES = 16;

  /**
   * Sets the key for the messages that follow.
   *
   * @throws IllegalArgumentException if it is not 32 bytes
   */
  void setKey(byte[] key);

  /** Starts a message under {@code nonce} (12 bytes) with associated data {@code ad}. */
  void beginEncrypt(byte[] nonce, byte[] ad);

  /** Encrypts part of the current message; returns the bytes written to {@code out}. */
  int encryptUpdate(byte[] in, int inOffset, int length, byte[] out, int outOffset);

  /** Ends the current message, writing what is left and the tag; returns the bytes written. */
  int finishEncrypt(byte[] out, int outOffset);

  /**
   * Decrypts one whole message ({@code length} bytes of ciphertext and tag) and checks its tag;
   * returns the plaintext length written to {@code out}. On failure the content of {@code out} in
   * that range is undefined and must not be used.
   *
   * @throws AEADBadTagException if the tag does not match (tampered, wrong key or nonce)
   * @throws IllegalArgumentException if {@code length} is shorter than the tag
   */
  int decrypt(
      byte[] nonce, byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws AEADBadTagException;

  /** Which implementation this is, for logs and the benchmark. */
  CryptoProvider provider();

  /** Encrypts one message held in one array: returns ciphertext followed by the tag. */
  default byte[] seal(byte[] nonce, byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_BYTES];
    beginEncrypt(nonce, ad);
    int n = encryptUpdate(plaintext, 0, plaintext.length, out, 0);
    n += finishEncrypt(out, n);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Decrypts one message held in one array; the inverse of {@link #seal}. */
  default byte[] open(byte[] nonce, byte[] ad, byte[] ciphertext) throws AEADBadTagException {
    if (ciphertext.length < TAG_BYTES) {
      throw new AEADBadTagException("ciphertext shorter than its tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_BYTES];
    int n = decrypt(nonce, ad, ciphertext, 0, ciphertext.length, out, 0);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
