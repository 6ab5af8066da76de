package io.meshlog.node.p2p;

/**
 * Receives a {@link ProtocolStream}'s varint-length-prefixed messages; called on the connection's
 * I/O thread, never blocks.
 */
public interface MessageListener {

  /** One whole message; the array is the listener's to keep. */
  void onMessage(ProtocolStream stream, byte[] message);

  /** The remote closed its side; a partial message that was pending is dropped. */
  default void onRemoteClose(ProtocolStream stream) {}

  /**
   * The stream was reset (by either side, or for an oversized message) or its connection closed.
   */
  default void onReset(ProtocolStream stream) {}
}
