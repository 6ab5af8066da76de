package io.meshlog.jmx.view;

import java.util.List;
import java.util.Map;

/** What the {@code io.meshlog:type=Peers} MBean reads. Thread-safe. */
public interface PeersView {

  /** One entry per connected peer (several connections to one peer make one entry). */
  List<PeerInfo> peers();

  /**
   * The peers the router ignores now, peer id to the {@link PeerInfo#graylisted()} text; empty
   * without a router.
   */
  default Map<String, String> graylisted() {
    return Map.of();
  }
}
