package io.meshlog.node.p2p.internal.yamux;

/**
 * The remote peer broke a yamux rule; the session fires this through {@code exceptionCaught} and
 * closes the connection. {@link #violation()} is stable and meant for journaling.
 */
public final class YamuxProtocolException extends YamuxException {
  private static final long serialVersionUID = 1L;

  /** The rule the peer broke. */
  public enum Violation {
    /** Header version other than 0. */
    BAD_VERSION,
    /** Frame type outside DATA, WINDOW_UPDATE, PING, GO_AWAY. */
    UNKNOWN_TYPE,
    /** DATA frame longer than {@code yamux.maxFrameSize}. */
    FRAME_TOO_LARGE,
    /** More data than the receive window the peer was granted. */
    WINDOW_EXCEEDED,
    /** A window update pushing the send window past 2^32-1. */
    WINDOW_OVERFLOW,
    /** A stream id of the wrong parity, zero, or reused by a SYN. */
    BAD_STREAM_ID,
    /** A frame without SYN for a stream that was never opened. */
    UNKNOWN_STREAM
  }

  private final Violation violation;

  public YamuxProtocolException(Violation violation, String detail) {
    super(violation + ": " + detail);
    this.violation = violation;
  }

  public Violation violation() {
    return violation;
  }
}
