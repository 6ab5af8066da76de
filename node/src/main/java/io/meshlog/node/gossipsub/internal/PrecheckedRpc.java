package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;

/**
 * An RPC decoded, and the signatures of its messages checked, on the network thread that read it
 * ({@link RpcPrechecker}), for the router to use instead of doing that work itself.
 *
 * <p>Each published message has a verdict: {@link #VALID} (its StrictSign check passed), {@link
 * #UNCHECKED} (the router checks it, as it would without a pre-check), or the reason it is invalid.
 * A verdict belongs to the very message object it was computed on, so a valid verdict cannot be
 * carried over to a forged copy. Immutable once built; handed from the network thread to the router
 * thread through the router's queue.
 */
public final class PrecheckedRpc {

  /** The message passed the StrictSign check. */
  static final String VALID = "";

  /** The message was not checked; the router checks it. */
  static final String UNCHECKED = null;

  private final int size;
  private final Rpc rpc;
  private final String[] verdicts;

  PrecheckedRpc(int size, Rpc rpc, String[] verdicts) {
    this.size = size;
    this.rpc = rpc;
    this.verdicts = verdicts;
  }

  /** The RPC's encoded size in bytes. */
  public int size() {
    return size;
  }

  Rpc rpc() {
    return rpc;
  }

  /** The verdict of {@code rpc().publish().get(i)}: VALID, UNCHECKED or a reason. */
  String verdict(int i) {
    return verdicts == null ? UNCHECKED : verdicts[i];
  }
}
