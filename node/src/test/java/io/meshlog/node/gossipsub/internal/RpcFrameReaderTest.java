package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RpcFrameReaderTest {
  private final List<byte[]> frames = new ArrayList<>();

  @Test
  void shouldReassembleFramesSplitAnywhere() throws Exception {
    Random random = new Random(5);
    List<byte[]> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int size : new int[] {0, 1, 127, 128, 300, 16_384, 70_000}) {
      byte[] rpc = new byte[size];
      random.nextBytes(rpc);
      sent.add(rpc);
      wire.writeBytes(RpcFrameReader.frame(rpc));
    }
    byte[] all = wire.toByteArray();
    RpcFrameReader reader = new RpcFrameReader(1 << 20, frames::add);
    for (int i = 0; i < all.length; ) {
      int n = Math.min(all.length - i, 1 + random.nextInt(500));
      reader.feed(all, i, n);
      i += n;
    }
    assertThat(frames).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      assertThat(frames.get(i)).isEqualTo(sent.get(i));
    }
    assertThat(reader.atFrameBoundary()).isTrue();
  }

  @Test
  void shouldRefuseALengthAboveTheLimitBeforeAllocating() {
    RpcFrameReader reader = new RpcFrameReader(1000, frames::add);
    byte[] prefix = RpcFrameReader.frame(new byte[1001]);
    assertThatThrownBy(() -> reader.feed(prefix, 0, 2))
        .isInstanceOf(RpcDecodeException.class)
        .hasMessage("frame of 1001 bytes exceeds maxRpcSize 1000");
    assertThatThrownBy(() -> reader.feed(new byte[] {1, 0}, 0, 2))
        .hasMessage("stream already failed");
    assertThat(frames).isEmpty();
  }

  @Test
  void shouldRefuseOverlongVarints() {
    RpcFrameReader reader = new RpcFrameReader(1000, frames::add);
    byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertThatThrownBy(() -> reader.feed(junk, 0, junk.length))
        .hasMessage("malformed frame length");
  }
}
