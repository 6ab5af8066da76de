package io.meshlog.node.p2p.internal.noise;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The libp2p handshake payload protobuf a peer sends inside Noise: {@link HandshakePayload#decode}
 * either decodes (with at most 64 extension entries, no field longer than the input) or rejects
 * with {@link NoiseException}.
 */
class HandshakePayloadFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyHandshakePayloadOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    HandshakePayload p;
    try {
      p = HandshakePayload.decode(input);
    } catch (NoiseException rejected) {
      return;
    }
    if (p.identityKey().length + p.identitySig().length > input.length) {
      throw new AssertionError("decoded more bytes than given");
    }
  }
}
