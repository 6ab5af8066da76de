package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.internal.yamux.YamuxConfig;

/** Maps the host's limits onto the Yamux session's configuration. */
final class YamuxSettings {
  private YamuxSettings() {}

  static YamuxConfig from(HostConfig config) {
    return YamuxConfig.defaults()
        .withMaxStreams(config.maxStreamsPerConnection())
        .withMaxPendingBytesPerStream(config.maxPendingWriteBytes())
        .validate();
  }
}
