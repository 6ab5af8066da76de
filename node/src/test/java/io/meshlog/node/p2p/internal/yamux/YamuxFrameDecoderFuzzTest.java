package io.meshlog.node.p2p.internal.yamux;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * {@link YamuxFrameDecoder} on any bytes a peer can send after the Noise handshake, in the chunks
 * the input's first byte chooses: frames come out, or {@link YamuxProtocolException}; a DATA frame
 * never claims more than {@code yamux.maxFrameSize}, payload never exceeds what was sent.
 */
class YamuxFrameDecoderFuzzTest {

  private static final int MAX_FRAME = 16 * 1024;

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyYamuxFramesOrRejectThemClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = 1 + (input[0] & 0x3F);
    YamuxFrameDecoder decoder = new YamuxFrameDecoder(MAX_FRAME);
    long[] payload = new long[1];
    YamuxFrameDecoder.FrameHandler handler =
        new YamuxFrameDecoder.FrameHandler() {
          @Override
          public void onHeader(int type, int flags, int streamId, long length) {
            if (type == YamuxHeader.TYPE_DATA && length > MAX_FRAME) {
              throw new AssertionError("DATA frame of " + length + " bytes passed the decoder");
            }
          }

          @Override
          public void onPayload(ByteBuf piece) {
            payload[0] += piece.readableBytes();
            piece.release();
          }

          @Override
          public void onDataEnd() {}
        };
    try {
      for (int off = 1; off < input.length; off += chunk) {
        ByteBuf in = Unpooled.wrappedBuffer(input, off, Math.min(chunk, input.length - off));
        try {
          decoder.decode(in, handler);
        } finally {
          in.release();
        }
      }
    } catch (YamuxProtocolException rejected) {
      // our rejection: the session sends GO_AWAY(protocol error) and closes
    }
    if (payload[0] > input.length) {
      throw new AssertionError("more payload than input");
    }
  }
}
