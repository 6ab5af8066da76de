package io.meshlog.node.p2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An upgraded connection to one peer: TCP, secured with Noise, multiplexed with Yamux.
 *
 * <p>Thread-safe. Futures complete on the connection's I/O thread: do not block in their callbacks.
 */
public interface Connection {

  /** The authenticated remote peer. */
  PeerId remotePeer();

  /** A snapshot of what is known about this connection now. */
  ConnectionInfo info();

  /**
   * Opens a stream and agrees on {@code protocolId} with multistream-select. Fails when the remote
   * does not support the protocol, has too many streams, or the connection closes.
   */
  CompletableFuture<ProtocolStream> newStream(String protocolId);

  /**
   * Opens a stream proposing {@code protocolIds} in order (e.g. {@code /meshsub/1.2.0}, then {@code
   * /meshsub/1.1.0}); the stream's {@link ProtocolStream#protocolId()} is the one the remote took.
   * Fails when it takes none of them.
   */
  CompletableFuture<ProtocolStream> newStream(List<String> protocolIds);

  /** True until the connection closes. */
  boolean isOpen();

  /** Closes the connection; streams on it are reset. Completes once the socket is closed. */
  CompletableFuture<Void> close();
}
