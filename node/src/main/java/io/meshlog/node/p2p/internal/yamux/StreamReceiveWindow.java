package io.meshlog.node.p2p.internal.yamux;

/**
 * The receiving half of a stream's flow control: how much the peer may still send, and when to
 * grant more. Credit is returned only for bytes the listener has taken, so a stream whose reader is
 * paused (or has no listener yet) buffers at most one window.
 *
 * <p>The window grows, doubling up to {@code yamux.maxWindowSize}, when the reader used half of it
 * in less than four round trips: then the window, not the reader, limits throughput. On a fast
 * local link the round trip is short and the window stays small; on a long one it grows.
 *
 * <p>Not thread-safe; owned by the session's event loop.
 */
final class StreamReceiveWindow {
  private final long maxWindow;
  private long window = YamuxHeader.INITIAL_WINDOW;
  private long credit = YamuxHeader.INITIAL_WINDOW;
  private long consumed;
  private long epochStartNanos;

  StreamReceiveWindow(long maxWindow) {
    this.maxWindow = maxWindow;
  }

  /** Raises the window to {@code size}; returns the delta to announce with the SYN or ACK. */
  int growInitial(int size) {
    long extra = Math.max(0, size - window);
    window += extra;
    credit += extra;
    return (int) extra;
  }

  /** Accounts an inbound DATA frame; false when it exceeds the credit the peer was given. */
  boolean receive(long length) {
    if (length > credit) {
      return false;
    }
    credit -= length;
    return true;
  }

  /**
   * Accounts bytes the reader has taken.
   *
   * @return the window delta to send now, or 0 when an update can wait
   */
  long consume(long length, long rttNanos) {
    consumed += length;
    if (consumed < window / 2) {
      return 0;
    }
    long now = System.nanoTime();
    if (rttNanos > 0
        && epochStartNanos != 0
        && now - epochStartNanos < 4 * rttNanos
        && window < maxWindow) {
      long grown = Math.min(window * 2, maxWindow);
      consumed += grown - window;
      window = grown;
    }
    epochStartNanos = now;
    long delta = consumed;
    consumed = 0;
    credit += delta;
    return delta;
  }

  long window() {
    return window;
  }
}
