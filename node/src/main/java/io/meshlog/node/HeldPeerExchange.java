package io.meshlog.node;

import io.meshlog.node.gossipsub.PeerExchangeListener;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's peer-exchange listener from the moment gossipsub starts: offers that come before the
 * peer registry is ready (a peer whose mesh is full prunes us with its offer on the first
 * connection, whether we dialled it, it dialled us or the registry redialled it) are held, at most
 * {@link #MAX_HELD}, and handed on when it is. Without it such an offer was dropped, and the node
 * stayed alone with that peer until its prune backoff ran out.
 *
 * <p>Thread-safe: {@link #offered} on the router thread, {@link #deliverTo} once from the node's
 * start.
 */
final class HeldPeerExchange implements PeerExchangeListener {

  /** Offers held before the registry is ready; one PRUNE offers at most gossipsub.prunePeers. */
  static final int MAX_HELD = 256;

  private record Offer(PeerId offered, PeerId from, byte[] signedPeerRecord) {}

  private final List<Offer> held = new ArrayList<>(); // guarded by this
  private PeerExchangeListener target; // guarded by this

  @Override
  public void offered(PeerId offered, PeerId from, byte[] signedPeerRecord) {
    PeerExchangeListener t;
    synchronized (this) {
      t = target;
      if (t == null) {
        if (held.size() < MAX_HELD) {
          held.add(new Offer(offered, from, signedPeerRecord));
        }
        return;
      }
    }
    t.offered(offered, from, signedPeerRecord);
  }

  /** Hands on every held offer, in order, then each new one as it comes. */
  void deliverTo(PeerExchangeListener listener) {
    List<Offer> earlier;
    synchronized (this) {
      earlier = List.copyOf(held);
      held.clear();
      target = listener;
    }
    for (Offer o : earlier) {
      listener.offered(o.offered(), o.from(), o.signedPeerRecord());
    }
  }
}
