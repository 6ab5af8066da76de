package io.meshlog.node.p2p.internal.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class IdentifyCodecTest {

  private static final IdentifyMessage SAMPLE =
      new IdentifyMessage(
          "ipfs/0.1.0",
          "meshlog/0.1.0",
          new byte[] {8, 1, 18, 32, 1, 2, 3},
          List.of(new byte[] {4, 127, 0, 0, 1, 6, 0x0f, (byte) 0xa1}),
          new byte[] {4, 127, 0, 0, 1},
          List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"),
          null);

  @Test
  void shouldRoundTripEveryField() throws Exception {
    IdentifyMessage back = IdentifyCodec.decode(IdentifyCodec.encode(SAMPLE));
    assertThat(back.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(back.agentVersion()).isEqualTo("meshlog/0.1.0");
    assertThat(back.publicKey()).isEqualTo(SAMPLE.publicKey());
    assertThat(back.listenAddrs()).hasSize(1);
    assertThat(back.listenAddrs().get(0)).isEqualTo(SAMPLE.listenAddrs().get(0));
    assertThat(back.observedAddr()).isEqualTo(SAMPLE.observedAddr());
    assertThat(back.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
    assertThat(back.signedPeerRecord()).isNull();
  }

  @Test
  void shouldSkipUnknownFields() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(99, 7);
    out.writeString(6, "js-libp2p/3.3.11");
    out.writeFixed32(100, 1);
    out.flush();
    assertThat(IdentifyCodec.decode(bytes.toByteArray()).agentVersion())
        .isEqualTo("js-libp2p/3.3.11");
  }

  @Test
  void shouldRejectTruncatedInput() {
    byte[] full = IdentifyCodec.encode(SAMPLE);
    byte[] truncated = Arrays.copyOf(full, full.length - 3);
    assertThatThrownBy(() -> IdentifyCodec.decode(truncated))
        .isInstanceOf(IdentifyException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void shouldRejectWrongWireTypeForAKnownField() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(6, 12345);
    out.flush();
    assertThatThrownBy(() -> IdentifyCodec.decode(bytes.toByteArray()))
        .isInstanceOf(IdentifyException.class)
        .hasMessageContaining("wire type");
  }

  @Test
  void shouldCapRepeatedFields() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int i = 0; i <= IdentifyCodec.MAX_REPEATED; i++) {
      out.writeString(3, "/p/" + i);
    }
    out.flush();
    assertThatThrownBy(() -> IdentifyCodec.decode(bytes.toByteArray()))
        .isInstanceOf(IdentifyException.class)
        .hasMessageContaining("protocols");
  }

  @Test
  void shouldNeverThrowAnythingButIdentifyExceptionOnRandomBytes() {
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      try {
        IdentifyCodec.decode(junk);
      } catch (IdentifyException expected) {
        // rejected with a reason: fine
      }
    }
  }
}
