package io.meshlog.node.interop;

/** A js test peer failed: it did not start, a command failed or timed out, or it exited. */
public final class JsPeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JsPeerException(String message) {
    super(message);
  }

  JsPeerException(String message, Throwable cause) {
    super(message, cause);
  }
}
