package io.meshlog.node.p2p.internal.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise SymmetricState with SHA-256: chaining key {@code ck}, handshake hash {@code h}, and the
 * CipherState used during the handshake (Noise spec rev 34, section 5.2).
 *
 * <p>Not thread-safe; used by one handshake.
 */
final class NoiseSymmetricState {

  static final int HASH_BYTES = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final NoiseCipherState cipher = new NoiseCipherState();
  private byte[] ck;
  private byte[] h;

  NoiseSymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK SHA-256/HMAC unavailable", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : sha256.digest(name);
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    sha256.update(h);
    sha256.update(data);
    h = sha256.digest();
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipher.hasKey();
  }

  /** Returns {initiator-to-responder, responder-to-initiator} cipher states. */
  NoiseCipherState[] split() {
    byte[][] keys = hkdf(ck, new byte[0]);
    NoiseCipherState c1 = new NoiseCipherState();
    NoiseCipherState c2 = new NoiseCipherState();
    c1.initializeKey(keys[0]);
    c2.initializeKey(keys[1]);
    Arrays.fill(ck, (byte) 0);
    return new NoiseCipherState[] {c1, c2};
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  /** HKDF with two outputs, as the Noise spec defines it on top of HMAC-SHA256. */
  private byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
    try {
      hmac.init(new SecretKeySpec(chainingKey, "HmacSHA256"));
      byte[] tempKey = hmac.doFinal(inputKeyMaterial);
      hmac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
      byte[] out1 = hmac.doFinal(new byte[] {1});
      hmac.update(out1);
      byte[] out2 = hmac.doFinal(new byte[] {2});
      return new byte[][] {out1, out2};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }
}
