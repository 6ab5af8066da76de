package io.meshlog.node.gossipsub.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcLimits;
import java.util.Arrays;

/**
 * The gossipsub RPC protobuf as a peer sends it: {@link RpcDecoder} returns an RPC within the
 * limits or {@link RpcDecodeException}; what it returns encodes to a canonical form that decodes
 * and encodes to the same bytes again; the network-thread {@link RpcPrechecker} never throws on the
 * same bytes.
 */
class RpcDecoderFuzzTest {

  private static final GossipsubConfig CONFIG = GossipsubConfig.builder().build();
  private static final RpcLimits LIMITS = RpcPrechecker.limitsOf(CONFIG);
  private static final RpcPrechecker PRECHECKER = new RpcPrechecker(CONFIG);

  @FuzzTest(maxDuration = "10m")
  void shouldDecodeAnyRpcOrRejectItClearly(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The target, also for the standalone fuzzer ({@code ./fuzz}). */
  public static void fuzzerTestOneInput(byte[] input) {
    Rpc rpc;
    try {
      rpc = RpcDecoder.decode(input, LIMITS);
    } catch (RpcDecodeException rejected) {
      PRECHECKER.precheck(input);
      return; // our rejection: the router journals INPUT_REJECTED and closes the stream
    }
    if (rpc.publish().size() > LIMITS.maxMessages()) {
      throw new AssertionError(rpc.publish().size() + " messages passed the limit");
    }
    byte[] canonical = RpcEncoder.encode(rpc);
    Rpc again;
    try {
      again = RpcDecoder.decode(canonical, LIMITS);
    } catch (RpcDecodeException e) {
      throw new AssertionError("an RPC we decoded does not decode after encoding: " + e, e);
    }
    if (!Arrays.equals(RpcEncoder.encode(again), canonical)) {
      throw new AssertionError("encoding is not stable across a decode");
    }
    PRECHECKER.precheck(input);
  }
}
