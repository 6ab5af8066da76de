package io.meshlog.node.p2p.internal.noise;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlog.node.p2p.Identity;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * A Noise XX responder ({@link NoiseSecureHandler}) on any bytes a dialer can send: the 2-byte
 * framed handshake messages, then transport frames. The handler either keeps reading or fails the
 * connection with a {@link NoiseException} of its own; a runtime exception that only its catch-all
 * stopped counts as a crash, and nothing reaches the pipeline beyond decrypted data.
 */
class NoiseHandshakeFuzzTest {

  private static final Identity LOCAL = Identity.fromSeed(new byte[32]);

  @FuzzTest(maxDuration = "10m")
  void shouldRespondToAnyHandshakeBytesOrRejectThemClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = 1 + (input[0] & 0x7F);
    Throwable[] failure = new Throwable[1];
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new NoiseSecureHandler(LOCAL, false, null),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failure[0] = cause;
              }
            });
    try {
      for (int off = 1; off < input.length && ch.isOpen(); off += chunk) {
        ch.writeInbound(Unpooled.copiedBuffer(input, off, Math.min(chunk, input.length - off)));
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    if (failure[0] != null) {
      if (!(failure[0] instanceof NoiseException)) {
        throw new AssertionError("not a Noise rejection", failure[0]);
      }
      Throwable cause = failure[0].getCause();
      if (cause instanceof RuntimeException) {
        throw new AssertionError("a runtime exception behind the rejection", cause);
      }
    }
  }
}
