package io.meshlog.node.p2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The sending half of a stream's flow control: the peer's window and the writes waiting for it.
 * Invariant after {@link #drain}: the queue is empty or the window is zero.
 *
 * <p>Not thread-safe; owned by the session's event loop.
 */
final class StreamSendQueue {
  private static final long MAX_WINDOW = 0xFFFFFFFFL;

  private static final class Pending {
    final ByteBuf data;
    final CompletableFuture<Void> done;

    Pending(ByteBuf data, CompletableFuture<Void> done) {
      this.data = data;
      this.done = done;
    }
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>(4);
  private long window = YamuxHeader.INITIAL_WINDOW;
  private long queuedBytes;

  /** Bytes that a write of {@code size} more would leave waiting for window. */
  long backlogAfter(int size) {
    return Math.max(0, queuedBytes + size - window);
  }

  long window() {
    return window;
  }

  /** Adds the peer's window update; false when it would overflow the 32-bit window. */
  boolean addWindow(long delta) {
    if (window + delta > MAX_WINDOW) {
      return false;
    }
    window += delta;
    return true;
  }

  /** Queues {@code data} (ownership passes here); {@code done} completes once it is all sent. */
  void add(ByteBuf data, CompletableFuture<Void> done) {
    queue.add(new Pending(data, done));
    queuedBytes += data.readableBytes();
  }

  /**
   * Writes DATA frames of at most {@code frameSize} bytes while the peer's window allows.
   *
   * @return true when nothing is left queued
   */
  boolean drain(int streamId, int frameSize, YamuxSession out) {
    Pending head;
    while ((head = queue.peek()) != null) {
      int readable = head.data.readableBytes();
      if (readable == 0) {
        queue.poll();
        head.data.release();
        head.done.complete(null);
        continue;
      }
      if (window == 0) {
        return false;
      }
      int n = (int) Math.min(Math.min(readable, window), frameSize);
      window -= n;
      queuedBytes -= n;
      if (n == readable) {
        queue.poll();
        out.writeData(streamId, head.data);
        // Completed after the write so that a writer reacting to it is ordered behind this data.
        head.done.complete(null);
      } else {
        out.writeData(streamId, head.data.readRetainedSlice(n));
      }
    }
    return true;
  }

  /** Releases every queued write and fails its future. */
  void failAll(Throwable cause) {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.data.release();
      p.done.completeExceptionally(cause);
    }
    queuedBytes = 0;
  }
}
