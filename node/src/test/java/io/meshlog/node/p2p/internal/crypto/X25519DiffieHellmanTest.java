package io.meshlog.node.p2p.internal.crypto;

import static io.meshlog.node.p2p.internal.crypto.HexText.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.InvalidKeyException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class X25519DiffieHellmanTest {

  // RFC 7748 section 6.1.
  private static final byte[] ALICE_PRIVATE =
      bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  private static final byte[] ALICE_PUBLIC =
      bytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  private static final byte[] BOB_PRIVATE =
      bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  private static final byte[] BOB_PUBLIC =
      bytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  private static final byte[] SHARED =
      bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldMatchTheRfc7748Vectors(CryptoProvider provider) throws Exception {
    X25519DiffieHellman x = Crypto.x25519(provider);
    assertThat(x.provider()).isEqualTo(provider);
    assertThat(x.publicKey(ALICE_PRIVATE)).isEqualTo(ALICE_PUBLIC);
    assertThat(x.publicKey(BOB_PRIVATE)).isEqualTo(BOB_PUBLIC);
    assertThat(x.agree(ALICE_PRIVATE, BOB_PUBLIC)).isEqualTo(SHARED);
    assertThat(x.agree(BOB_PRIVATE, ALICE_PUBLIC)).isEqualTo(SHARED);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldAgreeWithTheOtherImplementationOnFreshKeys(CryptoProvider provider) throws Exception {
    X25519DiffieHellman x = Crypto.x25519(provider);
    X25519DiffieHellman other =
        Crypto.x25519(
            provider == CryptoProvider.JDK ? CryptoProvider.BOUNCYCASTLE : CryptoProvider.JDK);
    byte[] a = x.generatePrivateKey();
    byte[] b = other.generatePrivateKey();
    assertThat(x.agree(a, other.publicKey(b))).isEqualTo(other.agree(b, x.publicKey(a)));
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldRefuseALowOrderRemoteKey(CryptoProvider provider) {
    X25519DiffieHellman x = Crypto.x25519(provider);
    assertThatThrownBy(() -> x.agree(ALICE_PRIVATE, new byte[32]))
        .isInstanceOf(InvalidKeyException.class);
  }
}
