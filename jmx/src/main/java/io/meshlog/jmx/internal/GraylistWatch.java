package io.meshlog.jmx.internal;

import io.meshlog.jmx.view.PeersView;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Notices peers that became graylisted since the last look and notifies {@link
 * io.meshlog.jmx.api.NotificationTypes#PEER_GRAYLISTED} for each (through the {@code notify} call
 * it is given, (peer id, why)). The router keeps no listener list, so this polls {@link
 * PeersView#graylisted()} once per sampling interval: a peer graylisted and released within one
 * interval is not notified (the counter {@code meshlog.gossip.peers.graylisted} still counts it).
 *
 * <p>Not thread-safe; owned by the sampler thread.
 */
public final class GraylistWatch {

  private final PeersView view;
  private final BiConsumer<String, String> notify;
  private Set<String> known = Set.of();

  public GraylistWatch(PeersView view, BiConsumer<String, String> notify) {
    this.view = view;
    this.notify = notify;
  }

  public void sample() {
    Map<String, String> now = view.graylisted();
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (!known.contains(e.getKey())) {
        notify.accept(e.getKey(), e.getValue());
      }
    }
    known = Set.copyOf(now.keySet());
  }
}
