package io.meshlog.node.p2p.internal.crypto;

/**
 * Ed25519 on BouncyCastle's RFC 8032 arithmetic ({@code org.bouncycastle.math.ec.rfc8032}), called
 * directly on byte arrays: no JCA lookup, no key objects. Stateless and thread-safe.
 */
final class BcEd25519 implements Ed25519Signatures {

  static final BcEd25519 INSTANCE = new BcEd25519();

  private BcEd25519() {}

  @Override
  public SigningKey signingKey(byte[] seed) {
    Ed25519Signatures.checkKeyLength(seed, "private key");
    byte[] sk = seed.clone();
    byte[] pk = new byte[KEY_BYTES];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(sk, 0, pk, 0);
    return new Key(sk, pk);
  }

  @Override
  public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
    if (publicKey.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature, 0, publicKey, 0, data, 0, data.length);
    } catch (RuntimeException e) {
      return false; // malformed input is "not valid", whatever the library thinks of it
    }
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.BOUNCYCASTLE;
  }

  /** Keeps the seed and the derived public key, which BouncyCastle's signing takes together. */
  private static final class Key implements SigningKey {
    private final byte[] sk;
    private final byte[] pk;

    Key(byte[] sk, byte[] pk) {
      this.sk = sk;
      this.pk = pk;
    }

    @Override
    public byte[] publicKey() {
      return pk.clone();
    }

    @Override
    public byte[] sign(byte[] data) {
      byte[] sig = new byte[SIGNATURE_BYTES];
      org.bouncycastle.math.ec.rfc8032.Ed25519.sign(sk, 0, pk, 0, data, 0, data.length, sig, 0);
      return sig;
    }
  }
}
