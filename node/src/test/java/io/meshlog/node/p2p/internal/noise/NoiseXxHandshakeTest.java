package io.meshlog.node.p2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NoiseXxHandshakeTest {

  @Test
  void shouldAgreeOnKeysWithRandomEphemerals() throws Exception {
    NoiseXxHandshake init = new NoiseXxHandshake(true, NoiseDh.generate(), new byte[0]);
    NoiseXxHandshake resp = new NoiseXxHandshake(false, NoiseDh.generate(), new byte[0]);

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
    NoiseXxHandshake init = new NoiseXxHandshake(true, NoiseDh.generate(), new byte[0]);
    NoiseXxHandshake resp = new NoiseXxHandshake(false, NoiseDh.generate(), new byte[0]);
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
    NoiseXxHandshake init = new NoiseXxHandshake(true, NoiseDh.generate(), bytes("a"));
    NoiseXxHandshake resp = new NoiseXxHandshake(false, NoiseDh.generate(), bytes("b"));
    resp.readMessage(init.writeMessage(new byte[0]));

    assertThatThrownBy(() -> init.readMessage(resp.writeMessage(new byte[0])))
        .hasMessageContaining("DECRYPT_FAILED");
    NoiseXxHandshake fresh = new NoiseXxHandshake(false, NoiseDh.generate(), new byte[0]);
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
