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
  void shouldAgreeWithTheProjectionsOnEveryEnvelopesOriginSequence() {
    java.util.Random r = new java.util.Random(13);
    for (int i = 0; i < 2_000; i++) {
      byte[] p = new byte[r.nextInt(40)];
      r.nextBytes(p);
      long seq = r.nextBoolean() ? r.nextInt(1000) : r.nextLong() & Long.MAX_VALUE;
      byte[] wire =
          new MessageEnvelope(r.nextLong() & Long.MAX_VALUE, r.nextLong(), seq, p).encode();
      assertThat(io.meshlog.eventlog.projection.EnvelopeSequence.of(wire)).isEqualTo(seq);
      byte[] damaged = wire.clone();
      damaged[r.nextInt(damaged.length)] ^= (byte) (1 + r.nextInt(255));
      MessageEnvelope decoded = MessageEnvelope.decode(damaged);
      long expected = decoded.isEnveloped() ? decoded.originSequence() : Long.MIN_VALUE;
      assertThat(io.meshlog.eventlog.projection.EnvelopeSequence.of(damaged)).isEqualTo(expected);
    }
  }

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
