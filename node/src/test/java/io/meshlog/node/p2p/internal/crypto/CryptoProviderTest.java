package io.meshlog.node.p2p.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CryptoProviderTest {

  @Test
  void shouldParseTheSettingValues() {
    assertThat(CryptoProvider.parse("auto")).isEqualTo(CryptoProvider.AUTO);
    assertThat(CryptoProvider.parse(" JDK ")).isEqualTo(CryptoProvider.JDK);
    assertThat(CryptoProvider.parse("BouncyCastle")).isEqualTo(CryptoProvider.BOUNCYCASTLE);
  }

  @Test
  void shouldNameTheKeyAndTheBadValue() {
    assertThatThrownBy(() -> CryptoProvider.parse("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshlog.crypto.provider")
        .hasMessageContaining("openssl");
  }

  @Test
  void shouldForceOneImplementationForEveryOperation() {
    for (CryptoProvider forced :
        new CryptoProvider[] {CryptoProvider.JDK, CryptoProvider.BOUNCYCASTLE}) {
      assertThat(Crypto.ed25519(forced).provider()).isEqualTo(forced);
      assertThat(Crypto.newChaCha20Poly1305(forced).provider()).isEqualTo(forced);
      assertThat(Crypto.x25519(forced).provider()).isEqualTo(forced);
    }
  }

  @Test
  void shouldPickPerOperationWhenAuto() {
    assertThat(Crypto.ed25519(CryptoProvider.AUTO).provider())
        .isEqualTo(CryptoProvider.BOUNCYCASTLE);
    assertThat(Crypto.newChaCha20Poly1305(CryptoProvider.AUTO).provider())
        .isEqualTo(CryptoProvider.JDK);
    assertThat(Crypto.x25519(CryptoProvider.AUTO).provider())
        .isEqualTo(CryptoProvider.BOUNCYCASTLE);
  }
}
