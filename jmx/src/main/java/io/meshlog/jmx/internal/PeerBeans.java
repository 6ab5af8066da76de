package io.meshlog.jmx.internal;

import io.meshlog.jmx.api.PeerMXBean;
import io.meshlog.jmx.view.LatencyView;
import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.PeersView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One {@code io.meshlog:type=Peer,name=<peer>} MBean per connected peer, kept in step by {@link
 * #refresh(long)}: a peer seen for the first time gets a bean, a peer no longer listed loses it,
 * and every bean takes the new reading (its rates are the change since the last one). The Peers
 * table lists connected peers only, so the beans are bounded by the connection limit.
 *
 * <p>Thread-safe (the sampler calls it; tests may too).
 */
public final class PeerBeans {

  private final PeersView view;
  private final LatencyView latencies;
  private final String node;
  private final Registrations registrations;
  private final BiConsumer<String, RuntimeException> onError;
  private final Map<String, PeerBean> beans = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  public PeerBeans(
      PeersView view,
      LatencyView latencies,
      String node,
      Registrations registrations,
      BiConsumer<String, RuntimeException> onError) {
    this.view = view;
    this.latencies = latencies;
    this.node = node;
    this.registrations = registrations;
    this.onError = onError;
  }

  /** Reads the peers once and brings the beans in line; {@code nanos} is a monotonic reading. */
  public synchronized void refresh(long nanos) {
    if (closed) {
      return;
    }
    Map<String, PeerInfo> now = new HashMap<>();
    for (PeerInfo p : view.peers()) {
      // One bean per connected peer: a mesh peer being redialled keeps its Peers row only.
      if (!PeerInfo.NOT_CONNECTED.equals(p.connectionType())) {
        now.put(p.peerId(), p);
      }
    }
    List<String> gone = new ArrayList<>();
    for (String id : beans.keySet()) {
      if (!now.containsKey(id)) {
        gone.add(id);
      }
    }
    for (String id : gone) {
      beans.remove(id);
      registrations.unregister(ObjectNames.peer(id, node));
    }
    for (PeerInfo p : now.values()) {
      PeerBean bean = beans.get(p.peerId());
      if (bean != null) {
        bean.update(p, nanos);
        continue;
      }
      bean = new PeerBean(p, nanos, latencies);
      try {
        registrations.register(
            ObjectNames.peer(p.peerId(), node),
            NamedParameters.of(bean, PeerMXBean.class, Map.of()));
        beans.put(p.peerId(), bean);
      } catch (IllegalStateException e) {
        onError.accept("peer " + p.peerId(), e);
      }
    }
  }

  /** Stops refreshing; the owner unregisters the beans. */
  public synchronized void close() {
    closed = true;
    beans.clear();
  }
}
