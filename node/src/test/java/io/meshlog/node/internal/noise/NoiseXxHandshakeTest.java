package io.meshlog.node.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NoiseXxHandshakeTest {

  private final HexFormat hex = HexFormat.of();

  /**
   * The Noise_XX_25519_ChaChaPoly_SHA256 vector of the cacophony test-vector suite: fixed keys and
   * prologue, three handshake messages then three transport messages alternating directions.
   */
  @Test
  void shouldReproduceCacophonyVector() throws Exception {
    byte[] prologue = hex.parseHex("4a6f686e2047616c74");
    NoiseXxHandshake init =
        new NoiseXxHandshake(
            true,
            key("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1"),
            key("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a"),
            prologue);
    NoiseXxHandshake resp =
        new NoiseXxHandshake(
            false,
            key("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893"),
            key("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b"),
            prologue);
    String[][] messages = {
      {
        "4c756477696720766f6e204d69736573",
        "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944"
            + "4c756477696720766f6e204d69736573"
      },
      {
        "4d757272617920526f746862617264",
        "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843"
            + "81cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a8639392490e5b9"
            + "bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f"
            + "8814c7194e83f23dbd8d162c9326ad"
      },
      {
        "462e20412e20486179656b",
        "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a8"
            + "0ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec82a286427402f113e4b6"
            + "ae769a1d95941d49b25030"
      },
      {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
      {
        "4a65616e2d426170746973746520536179",
        "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"
      },
      {
        "457567656e2042f6686d20766f6e2042617765726b",
        "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"
      },
    };

    for (int i = 0; i < 3; i++) {
      NoiseXxHandshake writer = i % 2 == 0 ? init : resp;
      NoiseXxHandshake reader = i % 2 == 0 ? resp : init;
      byte[] wire = writer.writeMessage(hex.parseHex(messages[i][0]));
      assertThat(hex.formatHex(wire)).as("handshake message %d", i).isEqualTo(messages[i][1]);
      assertThat(hex.formatHex(reader.readMessage(wire))).isEqualTo(messages[i][0]);
    }
    assertThat(hex.formatHex(init.handshakeHash()))
        .isEqualTo("c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e");
    assertThat(resp.handshakeHash()).isEqualTo(init.handshakeHash());
    assertThat(init.remoteStaticKey()).isEqualTo(resp.localStaticKey());
    assertThat(resp.remoteStaticKey()).isEqualTo(init.localStaticKey());

    for (int i = 3; i < 6; i++) {
      NoiseXxHandshake writer = i % 2 == 0 ? init : resp;
      NoiseXxHandshake reader = i % 2 == 0 ? resp : init;
      byte[] plain = hex.parseHex(messages[i][0]);
      byte[] wire = encrypt(writer.sendCipher(), plain);
      assertThat(hex.formatHex(wire)).as("transport message %d", i).isEqualTo(messages[i][1]);
      byte[] back = new byte[wire.length];
      int n = reader.receiveCipher().decrypt(wire, 0, wire.length, back, 0);
      assertThat(hex.formatHex(java.util.Arrays.copyOf(back, n))).isEqualTo(messages[i][0]);
    }
  }

  @Test
  void shouldAgreeOnKeysWithRandomEphemerals() throws Exception {
    NoiseXxHandshake init = new NoiseXxHandshake(true, X25519.generate(), new byte[0]);
    NoiseXxHandshake resp = new NoiseXxHandshake(false, X25519.generate(), new byte[0]);

    resp.readMessage(init.writeMessage(new byte[0]));
    init.readMessage(resp.writeMessage(bytes("from responder")));
    assertThat(resp.readMessage(init.writeMessage(bytes("from initiator"))))
        .isEqualTo(bytes("from initiator"));

    assertThat(init.isComplete()).isTrue();
    assertThat(resp.isComplete()).isTrue();
    byte[] wire = encrypt(init.sendCipher(), bytes("hello"));
    byte[] out = new byte[wire.length];
    assertThat(resp.receiveCipher().decrypt(wire, 0, wire.length, out, 0)).isEqualTo(5);
  }

  @Test
  void shouldRejectTamperedSecondMessage() throws Exception {
    NoiseXxHandshake init = new NoiseXxHandshake(true, X25519.generate(), new byte[0]);
    NoiseXxHandshake resp = new NoiseXxHandshake(false, X25519.generate(), new byte[0]);
    resp.readMessage(init.writeMessage(new byte[0]));
    byte[] second = resp.writeMessage(bytes("payload"));
    second[40] ^= 1; // inside the encrypted static key

    assertThatThrownBy(() -> init.readMessage(second))
        .isInstanceOf(NoiseException.class)
        .extracting(ex -> ((NoiseException) ex).reason())
        .isEqualTo(NoiseException.Reason.DECRYPT_FAILED);
  }

  @Test
  void shouldRejectDifferentPrologueAndShortMessages() throws Exception {
    NoiseXxHandshake init = new NoiseXxHandshake(true, X25519.generate(), bytes("a"));
    NoiseXxHandshake resp = new NoiseXxHandshake(false, X25519.generate(), bytes("b"));
    resp.readMessage(init.writeMessage(new byte[0]));

    assertThatThrownBy(() -> init.readMessage(resp.writeMessage(new byte[0])))
        .hasMessageContaining("DECRYPT_FAILED");
    NoiseXxHandshake fresh = new NoiseXxHandshake(false, X25519.generate(), new byte[0]);
    assertThatThrownBy(() -> fresh.readMessage(new byte[31]))
        .hasMessageContaining("MALFORMED_HANDSHAKE")
        .hasMessageContaining("31 bytes");
  }

  private static byte[] encrypt(NoiseCipherState cipher, byte[] plain) throws Exception {
    byte[] out = new byte[plain.length + NoiseCipherState.TAG_BYTES];
    cipher.beginEncrypt();
    int n = cipher.encryptUpdate(plain, 0, plain.length, out, 0);
    n += cipher.finishEncrypt(out, n);
    assertThat(n).isEqualTo(out.length);
    return out;
  }

  private X25519.KeyPair key(String privateHex) {
    return X25519.fromPrivate(hex.parseHex(privateHex));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
