package io.meshlog.jmx.view;

import java.util.List;

/** What the {@code io.meshlog:type=PeerRegistry} MBean reads. Thread-safe. */
public interface RegistryView {

  /** Every peer the registry knows now, most reliable first. */
  List<RegistryEntryInfo> entries();
}
