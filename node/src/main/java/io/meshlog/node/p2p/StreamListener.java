package io.meshlog.node.p2p;

import java.nio.ByteBuffer;

/**
 * Receives a {@link ProtocolStream}'s raw bytes; called on the connection's I/O thread, never
 * blocks.
 */
public interface StreamListener {

  /** Bytes arrived. {@code data} is only valid during the call: copy what you keep. */
  void onData(ProtocolStream stream, ByteBuffer data);

  /** The remote closed its side; nothing more will arrive. */
  default void onRemoteClose(ProtocolStream stream) {}

  /** The stream was reset (by either side) or its connection closed. */
  default void onReset(ProtocolStream stream) {}
}
