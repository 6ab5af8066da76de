package io.meshlog.node.p2p.internal.crypto;

import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * ChaCha20-Poly1305 on BouncyCastle's lightweight engine ({@code
 * org.bouncycastle.crypto.modes.ChaCha20Poly1305}), one engine per instance, re-initialised per
 * message with the kept key. Not thread-safe.
 */
final class BcChaCha20Poly1305 implements ChaChaPolyAead {

  private final org.bouncycastle.crypto.modes.ChaCha20Poly1305 engine =
      new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
  private KeyParameter key;

  @Override
  public void setKey(byte[] k) {
    if (k.length != KEY_BYTES) {
      throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, got " + k.length);
    }
    key = new KeyParameter(k);
  }

  @Override
  public void beginEncrypt(byte[] nonce, byte[] ad) {
    init(true, nonce, ad);
  }

  @Override
  public int encryptUpdate(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    return engine.processBytes(in, inOffset, length, out, outOffset);
  }

  @Override
  public int finishEncrypt(byte[] out, int outOffset) {
    try {
      return engine.doFinal(out, outOffset);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e); // never on encrypt
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
    init(false, nonce, ad);
    int n = engine.processBytes(in, inOffset, length, out, outOffset);
    try {
      return n + engine.doFinal(out, outOffset + n);
    } catch (InvalidCipherTextException e) {
      AEADBadTagException bad = new AEADBadTagException("ChaCha20-Poly1305 tag mismatch");
      bad.initCause(e);
      throw bad;
    }
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.BOUNCYCASTLE;
  }

  private void init(boolean encrypt, byte[] nonce, byte[] ad) {
    if (key == null) {
      throw new IllegalStateException("no key set");
    }
    engine.init(encrypt, new ParametersWithIV(key, nonce));
    if (ad.length > 0) {
      engine.processAADBytes(ad, 0, ad.length);
    }
  }
}
