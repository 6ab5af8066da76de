package io.meshlog.node.p2p.internal.crypto;

import static io.meshlog.node.p2p.internal.crypto.HexText.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChaChaPolyAeadTest {

  // RFC 8439 section 2.8.2.
  private static final byte[] KEY =
      bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  private static final byte[] NONCE = bytes("070000004041424344454647");
  private static final byte[] AD = bytes("50515253c0c1c2c3c4c5c6c7");
  private static final byte[] PLAINTEXT =
      ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
              + " future, sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CIPHERTEXT_START = bytes("d31a8d34648e60db7b86afbc53ef7ec2");
  private static final byte[] TAG = bytes("1ae10b594f09e26a7e902ecbd0600691");

  private static ChaChaPolyAead engine(CryptoProvider provider) {
    ChaChaPolyAead aead = Crypto.newChaCha20Poly1305(provider);
    aead.setKey(KEY);
    return aead;
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldMatchTheRfc8439Vector(CryptoProvider provider) throws Exception {
    ChaChaPolyAead aead = engine(provider);
    assertThat(aead.provider()).isEqualTo(provider);
    byte[] sealed = aead.seal(NONCE, AD, PLAINTEXT);
    assertThat(sealed).hasSize(PLAINTEXT.length + 16);
    assertThat(Arrays.copyOf(sealed, 16)).isEqualTo(CIPHERTEXT_START);
    assertThat(Arrays.copyOfRange(sealed, PLAINTEXT.length, sealed.length)).isEqualTo(TAG);
    // A fresh engine: the JDK refuses to re-init one under the key and nonce it just used.
    assertThat(engine(provider).open(NONCE, AD, sealed)).isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldEncryptInPiecesWhatTheOtherDecryptsWhole(CryptoProvider provider) throws Exception {
    ChaChaPolyAead aead = engine(provider);
    ChaChaPolyAead other =
        engine(provider == CryptoProvider.JDK ? CryptoProvider.BOUNCYCASTLE : CryptoProvider.JDK);
    Random random = new Random(3);
    byte[] plain = new byte[65519];
    random.nextBytes(plain);
    for (int message = 1; message <= 5; message++) {
      byte[] nonce = new byte[12];
      nonce[4] = (byte) message;
      byte[] out = new byte[plain.length + 16];
      aead.beginEncrypt(nonce, new byte[0]);
      int written = 0;
      int offset = 0;
      while (offset < plain.length) { // uneven pieces, as coalesced writes arrive
        int piece = Math.min(plain.length - offset, 1 + random.nextInt(5000));
        written += aead.encryptUpdate(plain, offset, piece, out, written);
        offset += piece;
      }
      written += aead.finishEncrypt(out, written);
      assertThat(written).isEqualTo(out.length);
      byte[] back = new byte[plain.length];
      assertThat(other.decrypt(nonce, new byte[0], out, 0, out.length, back, 0))
          .isEqualTo(plain.length);
      assertThat(back).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "BOUNCYCASTLE"})
  void shouldRefuseTamperedCiphertextWrongNonceAndWrongAd(CryptoProvider provider)
      throws Exception {
    byte[] sealed = engine(provider).seal(NONCE, AD, PLAINTEXT);
    byte[] tampered = sealed.clone();
    tampered[5] ^= 0x40;
    byte[] otherNonce = NONCE.clone();
    otherNonce[11] ^= 1;
    assertThatThrownBy(() -> engine(provider).open(NONCE, AD, tampered))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> engine(provider).open(otherNonce, AD, sealed))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> engine(provider).open(NONCE, new byte[0], sealed))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> engine(provider).open(NONCE, AD, new byte[15]))
        .isInstanceOf(AEADBadTagException.class);
  }
}
