package io.meshlog.node.p2p.factory;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.internal.transport.NettyHost;

/** Starts a {@link Host}. */
public final class Hosts {
  /**
   * Validates {@code config}, binds every listen address and returns the running host. Blocks until
   * bound: call it from a plain thread, not from an I/O thread.
   *
   * @throws IllegalArgumentException when the config is invalid (naming the key)
   * @throws java.io.UncheckedIOException when an address cannot be bound
   */
  public static Host start(HostConfig config, Identity identity, EventSink sink) {
    return NettyHost.start(config.validate(), identity, sink);
  }

  private Hosts() {}
}
