package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What the router has to say to each peer since the last flush: control parts (IHAVE, IWANT, GRAFT,
 * PRUNE, IDONTWANT) and messages, queued per peer and assembled into RPCs at {@link #flush}.
 *
 * <p>Invariants of a flush: each peer gets one RPC that carries all of its control parts and its
 * messages; only when its messages together pass half the RPC size limit are they split over
 * several RPCs, in queue order, the control parts riding on the last one; every queued part leaves
 * exactly once, and the outbox is empty afterwards. Parts for a peer that is gone by then are
 * dropped. Peers are flushed in the order they were first queued to, so the same inputs give the
 * same writes.
 *
 * <p>Not thread-safe: owned by the router thread, like the {@link GossipRouter} that holds it.
 */
final class Outbox {

  /** Parts waiting to go to one peer. The router appends to the lists directly. */
  static final class Parts {
    final List<Rpc.IHave> ihave = new ArrayList<>(2);
    final List<Rpc.IWant> iwant = new ArrayList<>(1);
    final List<Rpc.Graft> graft = new ArrayList<>(1);
    final List<Rpc.Prune> prune = new ArrayList<>(1);
    final List<Rpc.PubMessage> messages = new ArrayList<>(0);
    final List<byte[]> dontWant = new ArrayList<>(0);

    private boolean hasControl() {
      return !ihave.isEmpty()
          || !iwant.isEmpty()
          || !graft.isEmpty()
          || !prune.isEmpty()
          || !dontWant.isEmpty();
    }
  }

  private final Map<PeerId, Parts> byPeer = new LinkedHashMap<>();

  /** The parts queued for {@code peer}, created empty on first use. */
  Parts to(PeerId peer) {
    return byPeer.computeIfAbsent(peer, k -> new Parts());
  }

  /** Drops what was queued for {@code peer}. */
  void drop(PeerId peer) {
    byPeer.remove(peer);
  }

  boolean isEmpty() {
    return byPeer.isEmpty();
  }

  /**
   * Assembles and hands out everything queued, then empties the outbox.
   *
   * @param maxRpcSize the RPC size limit; messages are batched under half of it
   * @param connected whether a peer is still there to send to
   * @param send receives each assembled RPC with its peer
   */
  void flush(int maxRpcSize, Predicate<PeerId> connected, BiConsumer<PeerId, Rpc> send) {
    if (byPeer.isEmpty()) {
      return;
    }
    for (Map.Entry<PeerId, Parts> e : byPeer.entrySet()) {
      PeerId peer = e.getKey();
      if (!connected.test(peer)) {
        continue;
      }
      Parts q = e.getValue();
      Rpc.Control control = null;
      if (q.hasControl()) {
        List<Rpc.IDontWant> dontWant =
            q.dontWant.isEmpty() ? List.of() : List.of(new Rpc.IDontWant(q.dontWant));
        control = new Rpc.Control(q.ihave, q.iwant, q.graft, q.prune, dontWant);
      }
      // Messages answering IWANT may be many: batch them under the RPC size limit.
      List<Rpc.PubMessage> batch = new ArrayList<>();
      int size = 0;
      for (Rpc.PubMessage m : q.messages) {
        int s = RpcEncoder.encodedSize(m);
        if (!batch.isEmpty() && size + s > maxRpcSize / 2) {
          send.accept(peer, new Rpc(List.of(), batch, null));
          batch = new ArrayList<>();
          size = 0;
        }
        batch.add(m);
        size += s;
      }
      if (!batch.isEmpty() || control != null) {
        send.accept(peer, new Rpc(List.of(), batch, control));
      }
    }
    byPeer.clear();
  }
}
