package io.meshlog.jmx.view;

import java.util.List;

/** What the {@code io.meshlog:type=Peers} MBean reads. Thread-safe. */
public interface PeersView {

  /** One entry per connected peer (several connections to one peer make one entry). */
  List<PeerInfo> peers();
}
