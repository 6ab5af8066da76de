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
    return calls.call(view::peers).size();
  }

  @Override
  public TabularData getPeers() {
    return PeersOpenType.of(calls.call(view::peers));
  }
}
