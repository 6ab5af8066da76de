package io.meshlog.node.internal.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on the JDK's XDH provider. Public keys travel as 32 little-endian bytes of the
 * u coordinate; the JDK models them as a {@link BigInteger}, hence the conversions.
 *
 * <p>Stateless and thread-safe.
 */
final class X25519 {

  static final int KEY_BYTES = 32;
  private static final byte[] BASE_POINT = new byte[KEY_BYTES];

  static {
    BASE_POINT[0] = 9;
  }

  /** A key pair: the JDK private key and the raw public key. */
  record KeyPair(PrivateKey privateKey, byte[] publicKey) {}

  private X25519() {}

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
      generator.initialize(NamedParameterSpec.X25519);
      java.security.KeyPair pair = generator.generateKeyPair();
      return new KeyPair(pair.getPrivate(), raw(((XECPublicKey) pair.getPublic()).getU()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK X25519 provider unavailable", e);
    }
  }

  /** A key pair from a raw private scalar; its public key is X25519(k, 9). For test vectors. */
  static KeyPair fromPrivate(byte[] scalar) {
    try {
      PrivateKey key =
          KeyFactory.getInstance("XDH")
              .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
      return new KeyPair(key, dh(key, BASE_POINT));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK X25519 provider refused a 32-byte scalar", e);
    }
  }

  /**
   * The shared secret X25519(privateKey, remotePublic).
   *
   * @throws GeneralSecurityException if the remote key is of low order (an all-zero result), which
   *     the JDK refuses
   */
  static byte[] dh(PrivateKey privateKey, byte[] remotePublic) throws GeneralSecurityException {
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = remotePublic[KEY_BYTES - 1 - i];
    }
    bigEndian[0] &= 0x7F; // RFC 7748 5: the top bit of the u coordinate is ignored
    PublicKey remote =
        KeyFactory.getInstance("XDH")
            .generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(privateKey);
    agreement.doPhase(remote, true);
    return agreement.generateSecret();
  }

  private static byte[] raw(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }
}
