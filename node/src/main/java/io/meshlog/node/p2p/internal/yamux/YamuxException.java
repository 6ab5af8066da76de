package io.meshlog.node.p2p.internal.yamux;

import java.io.IOException;

/**
 * A stream or session operation that could not complete: the stream was reset, the session closed
 * or went away, or a local limit was reached. The message says which.
 */
public class YamuxException extends IOException {
  private static final long serialVersionUID = 1L;

  public YamuxException(String message) {
    super(message);
  }

  public YamuxException(String message, Throwable cause) {
    super(message, cause);
  }
}
