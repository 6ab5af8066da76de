package io.meshlog.node.p2p;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlog.node.p2p.internal.record.PeerRecordCodec;
import java.util.Arrays;

/**
 * Signed peer records as they arrive in identify, peer exchange and rendezvous. The input's first
 * byte picks the layer: the signed envelope and the record inside it ({@link PeerRecord#open}: a
 * record or {@link InvalidRecordException}), the record's payload alone ({@link
 * PeerRecordCodec#decode}: fields or {@link IllegalArgumentException}, stable across a re-encode),
 * or a binary multiaddr ({@link Multiaddr#fromBytes}: an address that encodes back to the same
 * bytes, or {@link IllegalArgumentException}). A forged signature never opens.
 */
class PeerRecordFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void shouldOpenAnyPeerRecordOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch (input[0] & 0x03) {
      case 0 -> openEnvelope(rest);
      case 1 -> decodePayload(rest);
      default -> decodeAddress(rest);
    }
  }

  private static void openEnvelope(byte[] bytes) {
    try {
      PeerRecord record = PeerRecord.open(bytes);
      if (record.addresses().size() > PeerRecordCodec.MAX_ADDRESSES) {
        throw new AssertionError("a record with too many addresses opened");
      }
    } catch (InvalidRecordException rejected) {
      // our rejection: the record is ignored and the peer's input journaled
    }
  }

  private static void decodePayload(byte[] bytes) {
    PeerRecordCodec.Fields fields;
    try {
      fields = PeerRecordCodec.decode(bytes);
    } catch (IllegalArgumentException rejected) {
      return;
    }
    byte[] canonical = PeerRecordCodec.encode(fields);
    if (!Arrays.equals(PeerRecordCodec.encode(PeerRecordCodec.decode(canonical)), canonical)) {
      throw new AssertionError("record encoding is not stable across a decode");
    }
  }

  private static void decodeAddress(byte[] bytes) {
    Multiaddr address;
    try {
      address = Multiaddr.fromBytes(bytes);
    } catch (IllegalArgumentException rejected) {
      return;
    }
    Multiaddr again = Multiaddr.fromBytes(address.bytes());
    if (!again.equals(address)) {
      throw new AssertionError("multiaddr " + address + " does not survive its own encoding");
    }
  }
}
