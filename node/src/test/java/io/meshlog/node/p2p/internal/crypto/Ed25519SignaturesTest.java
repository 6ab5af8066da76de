package io.meshlog.node.p2p.internal.crypto;

import static io.meshlog.node.p2p.internal.crypto.HexText.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Ed25519SignaturesTest {

  // RFC 8032 section 7.1, TEST 2 (one-byte message 0x72).
  private static final byte[] SEED =
      bytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final byte[] PUBLIC =
      bytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  private static final byte[] MESSAGE = {0x72};
  private static final byte[] SIGNATURE =
      bytes(
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
              + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldMatchTheRfc8032Vector(CryptoProvider provider) {
    Ed25519Signatures ed = Crypto.ed25519(provider);
    Ed25519Signatures.SigningKey key = ed.signingKey(SEED);
    assertThat(ed.provider()).isEqualTo(provider);
    assertThat(key.publicKey()).isEqualTo(PUBLIC);
    assertThat(key.sign(MESSAGE)).isEqualTo(SIGNATURE);
    assertThat(ed.verify(PUBLIC, MESSAGE, SIGNATURE)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldAgreeWithTheOtherImplementation(CryptoProvider provider) {
    Ed25519Signatures ed = Crypto.ed25519(provider);
    Ed25519Signatures other =
        Crypto.ed25519(
            provider == CryptoProvider.JDK ? CryptoProvider.BOUNCYCASTLE : CryptoProvider.JDK);
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] seed = new byte[32];
      byte[] data = new byte[random.nextInt(2048)];
      random.nextBytes(seed);
      random.nextBytes(data);
      Ed25519Signatures.SigningKey key = ed.signingKey(seed);
      byte[] sig = key.sign(data);
      assertThat(other.signingKey(seed).sign(data)).isEqualTo(sig); // Ed25519 is deterministic
      assertThat(other.verify(key.publicKey(), data, sig)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldRejectTamperingAndMalformedInputWithoutThrowing(CryptoProvider provider) {
    Ed25519Signatures ed = Crypto.ed25519(provider);
    byte[] flippedSig = SIGNATURE.clone();
    flippedSig[10] ^= 1;
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xff); // y >= p: not a canonical encoding
    assertThat(ed.verify(PUBLIC, new byte[] {0x73}, SIGNATURE)).isFalse();
    assertThat(ed.verify(PUBLIC, MESSAGE, flippedSig)).isFalse();
    assertThat(ed.verify(notAPoint, MESSAGE, SIGNATURE)).isFalse();
    assertThat(ed.verify(new byte[31], MESSAGE, SIGNATURE)).isFalse();
    assertThat(ed.verify(PUBLIC, MESSAGE, new byte[63])).isFalse();
    assertThatThrownBy(() -> ed.signingKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
