package io.meshlog.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MessageEnvelopeTest {

  private final byte[] payload = "hello mesh".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldRoundTripEveryField() {
    MessageEnvelope e = new MessageEnvelope(7, 1_700_000_000_123_456_789L, 3, payload);
    byte[] wire = e.encode();

    assertThat(wire).hasSize(MessageEnvelope.HEADER_BYTES + payload.length);
    assertThat(MessageEnvelope.decode(wire)).isEqualTo(e);
    assertThat(MessageEnvelope.lamportOf(wire)).isEqualTo(7);
    assertThat(MessageEnvelope.publishTimeOf(wire)).isEqualTo(1_700_000_000_123_456_789L);
  }

  @Test
  void shouldTreatForeignDataAsPlainPayload() {
    byte[] js = "hello from js-libp2p".getBytes(StandardCharsets.UTF_8);
    MessageEnvelope e = MessageEnvelope.decode(js);

    assertThat(e.isEnveloped()).isFalse();
    assertThat(e.payload()).isEqualTo(js);
    assertThat(MessageEnvelope.lamportOf(js)).isEqualTo(MessageEnvelope.ABSENT);
    assertThat(MessageEnvelope.decode(new byte[0]).payload()).isEmpty();
  }

  @Test
  void shouldTreatTruncatedOrPaddedEnvelopeAsPlain() {
    byte[] wire = new MessageEnvelope(7, 1, 0, payload).encode();
    byte[] truncated = Arrays.copyOf(wire, wire.length - 1);
    byte[] padded = Arrays.copyOf(wire, wire.length + 1);
    byte[] headerOnly = Arrays.copyOf(wire, MessageEnvelope.HEADER_BYTES - 1);

    for (byte[] bad : new byte[][] {truncated, padded, headerOnly}) {
      MessageEnvelope e = MessageEnvelope.decode(bad);
      assertThat(e.isEnveloped()).isFalse();
      assertThat(e.payload()).isEqualTo(bad);
    }
  }

  @Test
  void shouldTreatUnknownVersionOrNegativeLamportAsPlain() {
    byte[] wire = new MessageEnvelope(7, 1, 0, payload).encode();
    byte[] future = wire.clone();
    future[4] = 2;
    byte[] negative = wire.clone();
    negative[5] = (byte) 0x80;

    assertThat(MessageEnvelope.decode(future).isEnveloped()).isFalse();
    assertThat(MessageEnvelope.decode(negative).isEnveloped()).isFalse();
  }

  @Test
  void shouldRefuseToEncodePlainOrInvalid() {
    assertThatThrownBy(() -> MessageEnvelope.plain(payload).encode())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new MessageEnvelope(-5, 0, 0, payload)).hasMessageContaining("-5");
    assertThatThrownBy(() -> new MessageEnvelope(1, 0, 0, null)).hasMessageContaining("payload");
  }
}
