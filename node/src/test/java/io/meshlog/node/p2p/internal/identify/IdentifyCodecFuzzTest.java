package io.meshlog.node.p2p.internal.identify;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The identify protobuf a peer sends: {@link IdentifyCodec#decode} either decodes, with at most
 * {@link IdentifyCodec#MAX_REPEATED} addresses and protocols and no field longer than the input, or
 * rejects with {@link IdentifyException}; what it decodes encodes again.
 */
class IdentifyCodecFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyIdentifyOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    IdentifyMessage m;
    try {
      m = IdentifyCodec.decode(input);
    } catch (IdentifyException rejected) {
      return;
    }
    if (m.listenAddrs().size() > IdentifyCodec.MAX_REPEATED
        || m.protocols().size() > IdentifyCodec.MAX_REPEATED) {
      throw new AssertionError("more repeated entries than identify allows");
    }
    long bytes = len(m.publicKey()) + len(m.observedAddr()) + len(m.signedPeerRecord());
    for (byte[] a : m.listenAddrs()) {
      bytes += a.length;
    }
    if (bytes > input.length) {
      throw new AssertionError("decoded more bytes than given");
    }
    IdentifyCodec.encode(m);
  }

  private static long len(byte[] b) {
    return b == null ? 0 : b.length;
  }
}
