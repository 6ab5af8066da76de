package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.RegistryEntryInfo;
import io.meshlog.jmx.view.RegistryView;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.Reconnector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@link RegistryView} of a node's peer registry, read through its reconnect thread. */
public final class ReconnectorRegistryView implements RegistryView {

  private final Reconnector reconnects;

  public ReconnectorRegistryView(Reconnector reconnects) {
    this.reconnects = reconnects;
  }

  @Override
  public List<RegistryEntryInfo> entries() {
    Instant now = Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    List<RegistryEntryInfo> out = new ArrayList<>();
    for (PeerRegistry.Entry e : reconnects.registry()) {
      List<String> addresses = new ArrayList<>();
      for (Map.Entry<?, PeerRegistry.Source> a : e.addresses().entrySet()) {
        addresses.add(a.getKey() + " " + a.getValue().label());
      }
      out.add(
          new RegistryEntryInfo(
              e.peer().toString(),
              e.reliability(nowNanos),
              instant(e.firstSeenNanos()),
              instant(e.lastSeenNanos()),
              e.lastConnectedNanos() >= 0 ? instant(e.lastConnectedNanos()) : null,
              e.successes(),
              e.failures(),
              e.failureStreak(),
              e.isDirectory(),
              addresses));
    }
    return out;
  }

  private static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos);
  }
}
