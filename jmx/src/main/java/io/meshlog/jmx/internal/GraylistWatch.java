package io.meshlog.jmx.internal;

import io.meshlog.jmx.MeshlogNotifications;
import io.meshlog.jmx.view.PeersView;
import java.util.Map;
import java.util.Set;

/**
 * Notices peers that became graylisted since the last look and notifies {@link
 * MeshlogNotifications#PEER_GRAYLISTED} for each. The router keeps no listener list, so this polls
 * {@link PeersView#graylisted()} once per sampling interval: a peer graylisted and released within
 * one interval is not notified (the counter {@code meshlog.gossip.peers.graylisted} still counts
 * it).
 *
 * <p>Not thread-safe; owned by the sampler thread.
 */
public final class GraylistWatch {

  private final PeersView view;
  private final MeshlogNotifications notifications;
  private Set<String> known = Set.of();

  public GraylistWatch(PeersView view, MeshlogNotifications notifications) {
    this.view = view;
    this.notifications = notifications;
  }

  public void sample() {
    Map<String, String> now = view.graylisted();
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (!known.contains(e.getKey())) {
        notifications.peerGraylisted(e.getKey(), e.getValue());
      }
    }
    known = Set.copyOf(now.keySet());
  }
}
