package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.PeersMXBean;
import io.meshlog.jmx.view.PeersView;
import javax.management.openmbean.TabularData;

/** {@code io.meshlog:type=Peers} over a {@link PeersView}. Thread-safe. */
public final class PeersBean implements PeersMXBean {

  private final PeersView view;
  private final ViewCalls calls;

  public PeersBean(PeersView view, CounterSet<JmxCounter> counters) {
    this.view = view;
    this.calls = new ViewCalls(counters);
  }

  @Override
  public int getPeerCount() {
    // Connected peers: rows of peers being redialled (connectionType "none") do not count.
    return (int)
        calls.call(view::peers).stream().filter(p -> !"none".equals(p.connectionType())).count();
  }

  @Override
  public TabularData getPeers() {
    return PeersOpenType.of(calls.call(view::peers));
  }
}
