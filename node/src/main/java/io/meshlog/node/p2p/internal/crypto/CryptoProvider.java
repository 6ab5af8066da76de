package io.meshlog.node.p2p.internal.crypto;

import java.util.Locale;

/**
 * Which implementation backs the cryptographic operations: the setting {@value #PROPERTY}, read
 * once from the system properties when {@link Crypto} is first used.
 */
public enum CryptoProvider {
  /** Per operation, whichever measured faster on the running JDK (see {@link Crypto}). */
  AUTO,
  /** The JDK's own providers (SunEC, SunJCE) for everything. */
  JDK,
  /** BouncyCastle's low-level classes for everything (no JCA provider is registered). */
  BOUNCYCASTLE;

  /** The system property that chooses the provider. */
  public static final String PROPERTY = "meshlog.crypto.provider";

  /**
   * Parses a setting value ({@code auto}, {@code jdk}, {@code bouncycastle}; case-insensitive).
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static CryptoProvider parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "jdk":
        return JDK;
      case "bouncycastle":
      case "bc":
        return BOUNCYCASTLE;
      default:
        throw new IllegalArgumentException(
            PROPERTY + "='" + value + "' is not one of auto, jdk, bouncycastle");
    }
  }

  /** The value of {@value #PROPERTY}, {@link #AUTO} when unset. */
  public static CryptoProvider fromSystemProperties() {
    String value = System.getProperty(PROPERTY);
    return value == null ? AUTO : parse(value);
  }
}
