package io.meshlog.jmx.view;

import java.util.Optional;

/**
 * Live delivery latencies per topic and per forwarding peer. Thread-safe; a read may fold samples
 * recorded since the last read into the window, so it is not free, but it never blocks the
 * recording thread.
 */
public interface LatencyView {

  /** Latencies of messages delivered on {@code topic}; empty when none was measured. */
  Optional<LatencySnapshot> topic(String topic);

  /** Latencies of messages first received from {@code peerId} (base58); empty when none. */
  Optional<LatencySnapshot> peer(String peerId);
}
