package io.meshlog.node.p2p;

/**
 * A stream could not be opened: the remote does not serve the protocol, has too many streams, did
 * not answer in time, or the connection went away. The message says which.
 */
public final class StreamOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StreamOpenException(String reason) {
    super(reason, null, false, false);
  }
}
