package io.meshlog.reconciliation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * {@link MessageEnvelope#decode} on any gossip data a peer can send: it never throws, a plain
 * message keeps the bytes, and a well-formed envelope encodes back to exactly its input.
 */
class MessageEnvelopeFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyGossipDataAndRoundTripEnvelopes(byte[] data) {
    fuzzerTestOneInput(data);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] data) {
    MessageEnvelope e = MessageEnvelope.decode(data);
    if (MessageEnvelope.isEnvelope(data)) {
      if (!Arrays.equals(e.encode(), data)) {
        throw new AssertionError("an envelope does not encode back to its bytes");
      }
    } else if (!Arrays.equals(e.payload(), data)) {
      throw new AssertionError("plain data changed by decoding");
    }
  }
}
