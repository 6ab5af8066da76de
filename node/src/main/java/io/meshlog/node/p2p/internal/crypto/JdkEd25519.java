package io.meshlog.node.p2p.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 on the JDK's SunEC provider.
 *
 * <p>Raw public keys become JDK keys through their X.509 SubjectPublicKeyInfo encoding (a fixed
 * 12-byte header, then the 32 key bytes), which is cheaper than building an {@code EdECPoint}. The
 * JDK cannot derive a public key from a seed directly, so {@link #signingKey} runs the key pair
 * generator on a random source that yields exactly the seed (the generator's seed is the 32 bytes
 * it draws). JCA lookups cost about as much as a verification, so each thread keeps its own
 * engines.
 *
 * <p>Stateless and thread-safe.
 */
final class JdkEd25519 implements Ed25519Signatures {

  static final JdkEd25519 INSTANCE = new JdkEd25519();

  private static final String ALGORITHM = "Ed25519";
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final ThreadLocal<KeyFactory> KEY_FACTORY =
      ThreadLocal.withInitial(() -> jca(() -> KeyFactory.getInstance(ALGORITHM)));
  private static final ThreadLocal<Signature> ENGINE =
      ThreadLocal.withInitial(() -> jca(() -> Signature.getInstance(ALGORITHM)));

  private JdkEd25519() {}

  @Override
  public SigningKey signingKey(byte[] seed) {
    Ed25519Signatures.checkKeyLength(seed, "private key");
    try {
      PrivateKey key =
          KEY_FACTORY
              .get()
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
      byte[] x509 = generator.generateKeyPair().getPublic().getEncoded();
      return new Key(key, Arrays.copyOfRange(x509, X509_PREFIX.length, x509.length));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK Ed25519 provider refused a 32-byte key", e);
    }
  }

  @Override
  public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
    if (publicKey.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
    System.arraycopy(publicKey, 0, x509, X509_PREFIX.length, KEY_BYTES);
    try {
      PublicKey key = KEY_FACTORY.get().generatePublic(new X509EncodedKeySpec(x509));
      Signature engine = ENGINE.get();
      engine.initVerify(key);
      engine.update(data);
      return engine.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // not a curve point, or a malformed signature
    }
  }

  @Override
  public CryptoProvider provider() {
    return CryptoProvider.JDK;
  }

  private interface JcaSupplier<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T jca(JcaSupplier<T> s) {
    try {
      return s.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 missing from the JDK", e);
    }
  }

  private static final class Key implements SigningKey {
    private final PrivateKey key;
    private final byte[] publicKey;

    Key(PrivateKey key, byte[] publicKey) {
      this.key = key;
      this.publicKey = publicKey;
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] data) {
      try {
        Signature engine = ENGINE.get();
        engine.initSign(key);
        engine.update(data);
        return engine.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 signing failed", e);
      }
    }
  }

  /** A random source that yields one fixed seed; see the class comment. */
  @SuppressWarnings("serial")
  private static final class FixedSeed extends SecureRandom {
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
      Arrays.fill(seed, (byte) 0);
    }
  }
}
