package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.p2p.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IWANT promises: when we answer a peer's IHAVE with an IWANT, the peer has promised to deliver
 * (one id standing for) the message before a deadline. A promise is kept when the message arrives
 * from anyone, valid or a duplicate; a promise still open at its deadline is broken, and the router
 * penalises the peer once per broken promise (gossipsub v1.1 P7).
 *
 * <p>Invariants: a promise is counted broken at most once (it leaves the tracker when it is); a
 * kept promise is never counted broken; a peer that leaves takes its promises with it; the number
 * of IWANTs asked of a peer ({@link #asked}) is what it was recounted to at the last {@link
 * #expire} plus those asked since, so the router can cap it. Time is passed in, never read.
 *
 * <p>Not thread-safe: owned by the router thread, like the {@link GossipRouter} that holds it.
 */
final class PromiseTracker {
  private final Map<MessageId, Map<PeerId, Long>> deadlines = new LinkedHashMap<>();
  private final Map<PeerId, Integer> asked = new HashMap<>();

  /** Whether some peer has promised {@code id}: no need to ask for it again. */
  boolean isPromised(MessageId id) {
    return deadlines.containsKey(id);
  }

  /**
   * Records that {@code peer} promised {@code id} by {@code deadlineNanos} (an earlier promise of
   * the same id by the same peer keeps its deadline) and counts one more IWANT asked of it.
   */
  void promise(MessageId id, PeerId peer, long deadlineNanos) {
    deadlines.computeIfAbsent(id, k -> new HashMap<>(2)).putIfAbsent(peer, deadlineNanos);
    asked.merge(peer, 1, Integer::sum);
  }

  /** The message {@code id} arrived: whoever promised it is off the hook. */
  void kept(MessageId id) {
    deadlines.remove(id);
  }

  /** IWANTs asked of {@code peer} and not yet settled, as the router caps them. */
  int asked(PeerId peer) {
    return asked.getOrDefault(peer, 0);
  }

  /** Forgets {@code peer}'s promises: a peer that left cannot be penalised any more. */
  void removePeer(PeerId peer) {
    for (Map<PeerId, Long> byPeer : deadlines.values()) {
      byPeer.remove(peer);
    }
    asked.remove(peer);
  }

  /**
   * Removes the promises whose deadline is at or before {@code nowNanos} and returns how many each
   * peer broke; recounts {@link #asked} from the promises still open.
   */
  Map<PeerId, Integer> expire(long nowNanos) {
    Map<PeerId, Integer> broken = new HashMap<>();
    Iterator<Map<PeerId, Long>> it = deadlines.values().iterator();
    while (it.hasNext()) {
      Map<PeerId, Long> byPeer = it.next();
      Iterator<Map.Entry<PeerId, Long>> pit = byPeer.entrySet().iterator();
      while (pit.hasNext()) {
        Map.Entry<PeerId, Long> e = pit.next();
        if (e.getValue() <= nowNanos) {
          broken.merge(e.getKey(), 1, Integer::sum);
          pit.remove();
        }
      }
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
    asked.clear();
    for (Map<PeerId, Long> byPeer : deadlines.values()) {
      for (PeerId k : byPeer.keySet()) {
        asked.merge(k, 1, Integer::sum);
      }
    }
    return broken;
  }

  /** Number of message ids with an open promise. */
  int size() {
    return deadlines.size();
  }
}
