package io.meshlog.node.p2p.internal.crypto;

/**
 * Ed25519 (RFC 8032, pure) over the raw forms libp2p puts on the wire: 32-byte seeds (private
 * keys), 32-byte public keys, 64-byte signatures. Implementations are stateless and thread-safe.
 */
public interface Ed25519Signatures {

  int KEY_BYTES = 32;
  int SIGNATURE_BYTES = 64;

  /**
   * A private key ready to sign: parsed once, used by any thread.
   *
   * @throws IllegalArgumentException if {@code seed} is not 32 bytes
   */
  SigningKey signingKey(byte[] seed);

  /**
   * Verifies {@code signature} over {@code data}. A key or signature of the wrong length, a key
   * that is not a curve point, or a malformed signature is simply "not valid": never throws.
   */
  boolean verify(byte[] publicKey, byte[] data, byte[] signature);

  /** Which implementation this is, for logs and the benchmark. */
  CryptoProvider provider();

  /** A parsed private key. Thread-safe. */
  interface SigningKey {
    /** The raw 32-byte public key that belongs to this private key (a copy). */
    byte[] publicKey();

    /** The 64-byte signature of {@code data}. */
    byte[] sign(byte[] data);
  }

  /** Checks a key's length; shared by the implementations. */
  static void checkKeyLength(byte[] key, String what) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 " + what + " must be 32 bytes, got " + key.length);
    }
  }
}
