package io.meshlog.node.gossipsub.internal.rpc;

import java.util.List;

/**
 * One pubsub RPC as on the wire (libp2p pubsub rpc.proto). Byte arrays are held by reference and
 * never modified once built. Immutable by convention.
 */
public record Rpc(List<SubOpts> subscriptions, List<PubMessage> publish, Control control) {

  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), null);

  public boolean isEmpty() {
    return subscriptions.isEmpty() && publish.isEmpty() && (control == null || control.isEmpty());
  }

  /** A subscription change. */
  public record SubOpts(boolean subscribe, String topic) {}

  /**
   * A published message; absent optional fields are null (kept distinct from empty, since the
   * signature covers the exact encoding).
   */
  public record PubMessage(
      byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {

    /** The same message without signature and key: what StrictSign signs. */
    public PubMessage unsigned() {
      return new PubMessage(from, data, seqno, topic, null, null);
    }
  }

  /** Control part; lists are never null. */
  public record Control(
      List<IHave> ihave,
      List<IWant> iwant,
      List<Graft> graft,
      List<Prune> prune,
      List<IDontWant> idontwant) {

    public boolean isEmpty() {
      return ihave.isEmpty()
          && iwant.isEmpty()
          && graft.isEmpty()
          && prune.isEmpty()
          && idontwant.isEmpty();
    }
  }

  public record IHave(String topic, List<byte[]> messageIds) {}

  public record IWant(List<byte[]> messageIds) {}

  public record Graft(String topic) {}

  /**
   * @param backoffSeconds the announced backoff, or -1 when absent
   */
  public record Prune(String topic, List<PeerInfo> peers, long backoffSeconds) {}

  public record IDontWant(List<byte[]> messageIds) {}

  /** A peer offered in PX; the signed peer record is kept opaque. */
  public record PeerInfo(byte[] peerId, byte[] signedPeerRecord) {}
}
