package io.meshlog.node.discovery.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * A rendezvous message as a client or a directory sends it: {@link RendezvousCodec#decode} returns
 * a message or {@link RendezvousCodec.MalformedException}; a DISCOVER_RESPONSE never carries more
 * registrations than allowed; what decodes encodes to a canonical form that is stable across a
 * second decode.
 */
class RendezvousCodecFuzzTest {

  private static final int MAX_REGISTRATIONS = 16;

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyRendezvousMessageOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    RendezvousMessage m;
    try {
      m = RendezvousCodec.decode(input, MAX_REGISTRATIONS);
    } catch (RendezvousCodec.MalformedException rejected) {
      return; // our rejection: the directory answers E_INVALID or closes the stream
    }
    if (m.discoverResponse() != null
        && m.discoverResponse().registrations().size() > MAX_REGISTRATIONS) {
      throw new AssertionError("a response with too many registrations passed the decoder");
    }
    byte[] canonical = RendezvousCodec.encode(m);
    RendezvousMessage again;
    try {
      again = RendezvousCodec.decode(canonical, MAX_REGISTRATIONS);
    } catch (RendezvousCodec.MalformedException e) {
      throw new AssertionError("a message we decoded does not decode after encoding: " + e, e);
    }
    if (!Arrays.equals(RendezvousCodec.encode(again), canonical)) {
      throw new AssertionError("encoding is not stable across a decode");
    }
  }
}
