package io.meshlog.node.p2p.internal.multistream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Set;

/**
 * multistream-select negotiation on any bytes a peer can send, as listener and as dialer (the first
 * input byte chooses, and the chunk size): the negotiator selects, fails with a reason, or waits
 * for more; it never throws, and never answers more than it was asked.
 */
class MultistreamFuzzTest {

  private static final Set<String> SUPPORTED = Set.of("/yamux/1.0.0", "/noise", "/ipfs/ping/1.0.0");

  @FuzzTest(maxDuration = "10m")
  void shouldNegotiateOrFailOnAnyBytes(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean dialer = (input[0] & 0x80) != 0;
    int chunk = 1 + (input[0] & 0x1F);
    MultistreamNegotiator n =
        dialer
            ? MultistreamNegotiator.dialer(
                List.of("/noise", "/yamux/1.0.0"), MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH)
            : MultistreamNegotiator.listener(
                SUPPORTED::contains, MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH);
    ByteBuf out = Unpooled.buffer();
    ByteBuf in = Unpooled.buffer();
    try {
      n.start(out);
      for (int off = 1; off < input.length; off += chunk) {
        in.writeBytes(input, off, Math.min(chunk, input.length - off));
        MultistreamNegotiator.Result r = n.feed(in, out);
        if (r != MultistreamNegotiator.Result.NEED_MORE) {
          break;
        }
      }
      // Every answer is one bounded message per proposal read, plus the header.
      if (out.readableBytes() > 2 * input.length + 64) {
        throw new AssertionError(out.readableBytes() + " bytes answered to " + input.length);
      }
    } finally {
      in.release();
      out.release();
    }
  }
}
