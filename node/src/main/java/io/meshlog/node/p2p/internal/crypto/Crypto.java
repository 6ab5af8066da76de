package io.meshlog.node.p2p.internal.crypto;

/**
 * Where the rest of meshlog gets its cryptographic primitives: the implementation of each operation
 * is chosen once per JVM from {@link CryptoProvider#PROPERTY}.
 *
 * <p>What {@link CryptoProvider#AUTO} picks, from {@code CryptoBenchmark} (bench module; figures in
 * docs/crypto.md), measured on JDK 17 and JDK 25:
 *
 * <ul>
 *   <li>Ed25519: BouncyCastle (10-50x faster to sign, 5-10x to verify, on both);
 *   <li>ChaCha20-Poly1305: the JDK (about 2x BouncyCastle on 17 for 64 KiB frames, about 10x on 25
 *       with its intrinsics);
 *   <li>X25519: BouncyCastle (about 2x on both).
 * </ul>
 *
 * <p>Thread-safe. The Ed25519 and X25519 instances are shared; {@link #newChaCha20Poly1305} makes a
 * new, unshared engine each call.
 */
public final class Crypto {

  private static final CryptoProvider SETTING = CryptoProvider.fromSystemProperties();

  private Crypto() {}

  /** The provider setting in force ({@link CryptoProvider#PROPERTY}). */
  public static CryptoProvider setting() {
    return SETTING;
  }

  /** Ed25519 as the setting chooses. */
  public static Ed25519Signatures ed25519() {
    return ed25519(SETTING);
  }

  /** Ed25519 from {@code provider}. */
  public static Ed25519Signatures ed25519(CryptoProvider provider) {
    return provider == CryptoProvider.JDK ? JdkEd25519.INSTANCE : BcEd25519.INSTANCE;
  }

  /** A new ChaCha20-Poly1305 engine as the setting chooses. */
  public static ChaChaPolyAead newChaCha20Poly1305() {
    return newChaCha20Poly1305(SETTING);
  }

  /** A new ChaCha20-Poly1305 engine from {@code provider}. */
  public static ChaChaPolyAead newChaCha20Poly1305(CryptoProvider provider) {
    return provider == CryptoProvider.BOUNCYCASTLE
        ? new BcChaCha20Poly1305()
        : new JdkChaCha20Poly1305();
  }

  /** X25519 as the setting chooses. */
  public static X25519DiffieHellman x25519() {
    return x25519(SETTING);
  }

  /** X25519 from {@code provider}. */
  public static X25519DiffieHellman x25519(CryptoProvider provider) {
    return provider == CryptoProvider.JDK ? JdkX25519.INSTANCE : BcX25519.INSTANCE;
  }

  /** One line for the start-up log: which implementation each operation uses. */
  public static String describe() {
    return "crypto "
        + SETTING.name().toLowerCase(java.util.Locale.ROOT)
        + ": ed25519="
        + name(ed25519().provider())
        + " chacha20-poly1305="
        + name(newChaCha20Poly1305().provider())
        + " x25519="
        + name(x25519().provider());
  }

  private static String name(CryptoProvider p) {
    return p.name().toLowerCase(java.util.Locale.ROOT);
  }
}
