package io.meshlog.node.p2p.internal.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 on the JDK's SunJCE provider: one {@link Cipher}, obtained once. The JDK
 * refuses to encrypt twice under one nonce without a re-init, so every message costs one {@code
 * init}; the key object is reused. Not thread-safe.
 */
final class JdkChaCha20Poly1305 implements ChaChaPolyAead {

  private static final byte[] EMPTY = new byte[0];

  private final Cipher cipher;
  private SecretKeySpec key;

  JdkChaCha20Poly1305() {
    try {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK ChaCha20-Poly1305 unavailable", e);
    }
  }

  @Override
  public void setKey(byte[] k) {
    if (k.length != KEY_BYTES) {
      throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, got " + k.length);
    }
    key = new SecretKeySpec(k, "ChaCha20");
  }

  @Override
  public void beginEncrypt(byte[] nonce, byte[] ad) {
    init(Cipher.ENCRYPT_MODE, nonce);
    if (ad.length > 0) {
      cipher.updateAAD(ad);
    }
  }

  @Override
  public int encryptUpdate(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    try {
      return cipher.update(in, inOffset, length, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  @Override
  public int finishEncrypt(byte[] out, int outOffset) {
    try {
      return cipher.doFinal(EMPTY, 0, 0, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  @Override
  public int decrypt(
      byte[] nonce, byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws AEADBadTagException {
    if (length < TAG_BYTES) {
      throw new IllegalArgumentException(
          "ciphertext of " + length + " bytes is shorter than a tag");
    }
    init(Cipher.DECRYPT_MODE, nonce);
    try {
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(in, inOffset, length, out, outOffset);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.JDK;
  }

  private void init(int mode, byte[] nonce) {
    if (key == null) {
      throw new IllegalStateException("no key set");
    }
    try {
      cipher.init(mode, key, new IvParameterSpec(nonce));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 refused key or nonce", e);
    }
  }
}
