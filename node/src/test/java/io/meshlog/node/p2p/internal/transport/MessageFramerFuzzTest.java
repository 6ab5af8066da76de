package io.meshlog.node.p2p.internal.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The length-prefixed framing of stream protocols (identify, gossipsub RPCs) on any bytes a peer
 * can send: whole messages come out, each at most the configured size, or a reason to reset the
 * stream; a prefix over the limit is refused before anything is allocated for it.
 */
class MessageFramerFuzzTest {

  private static final int MAX = 4096;

  @FuzzTest(maxDuration = "10m")
  void shouldFrameAnyBytesOrRejectThemClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int chunk = 1 + (input[0] & 0x3F);
    MessageFramer framer = new MessageFramer(ByteBufAllocator.DEFAULT, MAX);
    long[] total = new long[1];
    try {
      for (int off = 1; off < input.length; off += chunk) {
        String error =
            framer.feed(
                Unpooled.copiedBuffer(input, off, Math.min(chunk, input.length - off)),
                m -> {
                  if (m.length > MAX) {
                    throw new AssertionError("message of " + m.length + " bytes");
                  }
                  total[0] += m.length;
                });
        if (error != null) {
          break;
        }
      }
    } finally {
      framer.release();
    }
    if (total[0] > input.length) {
      throw new AssertionError("more message bytes than input");
    }
  }
}
