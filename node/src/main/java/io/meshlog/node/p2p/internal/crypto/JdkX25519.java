package io.meshlog.node.p2p.internal.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 on the JDK's XDH provider. Public keys travel as 32 little-endian bytes of the u
 * coordinate; the JDK models them as a {@link BigInteger}, hence the conversions. Stateless and
 * thread-safe.
 */
final class JdkX25519 implements X25519DiffieHellman {

  static final JdkX25519 INSTANCE = new JdkX25519();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] BASE_POINT = new byte[KEY_BYTES];

  static {
    BASE_POINT[0] = 9;
  }

  private JdkX25519() {}

  @Override
  public byte[] generatePrivateKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k); // clamped by the JDK when used, as RFC 7748 says
    return k;
  }

  @Override
  public byte[] publicKey(byte[] privateKey) {
    try {
      return agree(privateKey, BASE_POINT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the base point cannot be of low order", e);
    }
  }

  @Override
  public byte[] agree(byte[] privateKey, byte[] remotePublic) throws InvalidKeyException {
    if (privateKey.length != KEY_BYTES || remotePublic.length != KEY_BYTES) {
      throw new IllegalArgumentException("X25519 keys must be 32 bytes");
    }
    byte[] bigEndian = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      bigEndian[i] = remotePublic[KEY_BYTES - 1 - i];
    }
    bigEndian[0] &= 0x7F; // RFC 7748 5: the top bit of the u coordinate is ignored
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey local =
          factory.generatePrivate(
              new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
      PublicKey remote =
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(local);
      agreement.doPhase(remote, true);
      return agreement.generateSecret();
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      // The JDK reports an all-zero secret (a low-order remote key) as an ArithmeticException in
      // some versions and as a key exception in others; both mean "unusable key" here.
      throw new InvalidKeyException("X25519 agreement failed: " + e.getMessage(), e);
    } catch (ArithmeticException e) {
      throw new InvalidKeyException("X25519 public key of low order", e);
    }
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.JDK;
  }
}
