package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.MessageIdFunction;
import io.meshlog.node.gossipsub.SignaturePolicy;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcLimits;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes RPCs and checks their messages' signatures on the network threads, so that the router
 * thread — one thread for the whole node — does not spend most of its time in Ed25519.
 *
 * <pre>
 *   network thread:  bytes ── decode ── per message: id already verified? ── yes: UNCHECKED
 *                                                     └─ no: StrictSign check ── VALID | reason
 *                    ──► router queue ──► router thread: seen? duplicate : use the verdict
 * </pre>
 *
 * <p>Duplicate suppression stays on the router thread and stays first: a duplicate is dropped
 * whatever its verdict, and only a message whose own check passed (here or on the router) marks its
 * id seen, so a forged copy never does. To avoid verifying every copy of a message that arrives
 * from several mesh peers, ids that verified are remembered in a small lossy table; a later copy
 * with the same id is left UNCHECKED, and the router either drops it as a duplicate (the usual
 * case) or checks it itself (when it overtook the first copy in the queue). Losing an entry only
 * costs one more verification.
 *
 * <p>An RPC that does not decode is passed on as bytes ({@link #precheck} returns null): the router
 * decodes it again and reports it as it always has.
 *
 * <p>Thread-safe; called concurrently by every network thread.
 */
public final class RpcPrechecker {
  private static final int TABLE_SIZE = 4096; // power of two

  private final RpcLimits limits;
  private final boolean strictSign;
  private final MessageIdFunction idFunction;
  private final AtomicReferenceArray<MessageId> verified = new AtomicReferenceArray<>(TABLE_SIZE);

  public RpcPrechecker(GossipsubConfig config) {
    this.limits = limitsOf(config);
    this.strictSign = config.signaturePolicy() == SignaturePolicy.STRICT_SIGN;
    this.idFunction = config.messageIdFunction();
  }

  /** The bounds {@code config} sets on one RPC, for the decoder. */
  public static RpcLimits limitsOf(GossipsubConfig c) {
    return new RpcLimits(
        c.maxRpcSize(),
        c.maxMessageSize(),
        c.maxSubscriptionsPerRpc(),
        c.maxMessagesPerRpc(),
        c.maxControlEntriesPerRpc(),
        c.maxIdsPerRpc(),
        c.maxPeersPerPrune(),
        c.maxTopicLength(),
        256,
        128);
  }

  /** Decodes and checks one RPC; null when it does not decode (the router will say why). */
  public PrecheckedRpc precheck(byte[] bytes) {
    Rpc rpc;
    try {
      rpc = RpcDecoder.decode(bytes, limits);
    } catch (RpcDecodeException e) {
      return null;
    }
    List<Rpc.PubMessage> messages = rpc.publish();
    if (!strictSign || messages.isEmpty()) {
      return new PrecheckedRpc(bytes.length, rpc, null);
    }
    String[] verdicts = new String[messages.size()];
    for (int i = 0; i < verdicts.length; i++) {
      verdicts[i] = check(messages.get(i));
    }
    return new PrecheckedRpc(bytes.length, rpc, verdicts);
  }

  private String check(Rpc.PubMessage m) {
    MessageId id;
    try {
      id =
          new MessageId(
              idFunction.messageId(
                  m.from(),
                  m.seqno(),
                  m.topic(),
                  m.data() == null ? new byte[0] : m.data(),
                  m.key()));
    } catch (IllegalArgumentException e) {
      return PrecheckedRpc.UNCHECKED; // the router rejects it with the reason
    }
    int slot = id.hashCode() & (TABLE_SIZE - 1);
    if (id.equals(verified.get(slot))) {
      return PrecheckedRpc.UNCHECKED;
    }
    String bad = MessageSignatures.checkStrictSign(m);
    if (bad != null) {
      return bad;
    }
    verified.set(slot, id);
    return PrecheckedRpc.VALID;
  }
}
