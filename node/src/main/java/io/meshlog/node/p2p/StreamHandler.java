package io.meshlog.node.p2p;

/**
 * Serves one protocol: called for every inbound stream the remote opened with that protocol id.
 * Called on the connection's I/O thread; it should set a listener on the stream and return.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(ProtocolStream stream);
}
