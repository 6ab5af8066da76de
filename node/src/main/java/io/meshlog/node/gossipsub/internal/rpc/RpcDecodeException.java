package io.meshlog.node.gossipsub.internal.rpc;

/** A peer's RPC could not be accepted; {@link #getMessage()} is the reason, fit for the journal. */
public final class RpcDecodeException extends Exception {
  public RpcDecodeException(String reason) {
    super(reason, null, false, false);
  }
}
