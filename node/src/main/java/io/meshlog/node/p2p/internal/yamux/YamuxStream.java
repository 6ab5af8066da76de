package io.meshlog.node.p2p.internal.yamux;

import io.meshlog.node.p2p.internal.yamux.YamuxProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical stream of a {@link YamuxSession}: ordered bytes both ways, each direction closed on
 * its own (FIN), or both at once (RST).
 *
 * <p>Threading: every public method may be called from any thread and hops onto {@link
 * #eventLoop()}; listener callbacks and future completions run on that event loop and must not
 * block.
 *
 * <p>Flow control: {@link #write} queues beyond the peer's window up to {@code
 * yamux.maxPendingBytesPerStream}. Inbound, credit is returned to the peer as the listener takes
 * data; data arriving while no listener is set or reading is paused is buffered, at most one
 * window.
 */
public final class YamuxStream {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxStream.class);

  /** Receives a stream's inbound events, on the stream's event loop, in wire order. */
  public interface Listener {
    /** Bytes arrived (any chunking); the listener owns {@code data} and must release it. */
    void onData(YamuxStream stream, ByteBuf data);

    /** The peer closed its side (FIN) after all its data was delivered. */
    void onRemoteClose(YamuxStream stream);

    /** The stream ended abnormally: reset by the peer, a limit, or the connection closing. */
    void onReset(YamuxStream stream);
  }

  private final YamuxSession session;
  private final int id;
  private final boolean initiator;
  private final YamuxConfig config;
  private final StreamSendQueue send = new StreamSendQueue();
  private final StreamReceiveWindow receive;
  private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>(2);

  private Listener listener;
  private boolean paused;
  private boolean closeWriteRequested;
  private boolean finSent;
  private boolean remoteFin;
  private boolean remoteFinDelivered;
  private boolean reset;
  private boolean resetUndelivered;
  private boolean acknowledged;
  private volatile boolean open = true;

  YamuxStream(YamuxSession session, int id, boolean initiator, YamuxConfig config) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
    this.config = config;
    this.receive = new StreamReceiveWindow(config.maxWindowSize());
  }

  /** The yamux stream id: odd when opened by the connection's initiator, even otherwise. */
  public int id() {
    return id;
  }

  /** True when this side opened the stream. */
  public boolean isInitiator() {
    return initiator;
  }

  /** False once the stream was reset or both sides closed it. Any thread. */
  public boolean isOpen() {
    return open;
  }

  /** The connection's event loop, on which all callbacks of this stream run. */
  public EventLoop eventLoop() {
    return session.eventLoop();
  }

  /**
   * Sets the listener; data, close and reset that arrived before are delivered to it now, in order.
   * Any thread.
   */
  public void setListener(Listener l) {
    onLoop(
        () -> {
          listener = l;
          deliverBuffered();
        });
  }

  /** Stops delivering data (it is buffered, and the peer's credit runs out). Any thread. */
  public void pauseReading() {
    onLoop(() -> paused = true);
  }

  /** Delivers what was buffered while paused and resumes returning credit. Any thread. */
  public void resumeReading() {
    onLoop(
        () -> {
          paused = false;
          deliverBuffered();
        });
  }

  /**
   * Sends {@code data}; ownership passes to the stream, which releases it. Any thread.
   *
   * @return completes once all of it fitted in the peer's window and went to the connection; fails
   *     with {@link YamuxException} if the stream is closed for writing, is reset, or the write
   *     would queue more than {@code yamux.maxPendingBytesPerStream} (then the stream is reset too)
   */
  public CompletableFuture<Void> write(ByteBuf data) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    EventLoop loop = session.eventLoop();
    if (loop.inEventLoop()) {
      writeOnLoop(data, done);
    } else {
      try {
        loop.execute(() -> writeOnLoop(data, done));
      } catch (RejectedExecutionException e) {
        data.release();
        done.completeExceptionally(new YamuxException("connection closed"));
      }
    }
    return done;
  }

  /** Half-closes: a FIN follows the data already written. Reading goes on. Any thread. */
  public void closeWrite() {
    onLoop(
        () -> {
          if (!reset && !closeWriteRequested) {
            closeWriteRequested = true;
            flushSend();
          }
        });
  }

  /**
   * Aborts both directions now: sends RST, drops buffered data and fails pending writes. The
   * listener is not called for a reset it asked for. Any thread.
   */
  public void reset() {
    onLoop(() -> resetLocally(null));
  }

  // ---- event-loop side, driven by the session ----

  /** Announces the configured window with the SYN or ACK; returns the delta to send. */
  int growInitialWindow() {
    return receive.growInitial(config.initialWindowSize());
  }

  /**
   * Completes once everything written so far went to the connection: an empty write queued behind
   * it, allowed after {@link #closeWrite} too (the FIN still follows the data). Fails when the
   * stream resets first.
   */
  CompletableFuture<Void> whenWritten() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (reset || finSent) {
      done.complete(null);
      return done;
    }
    send.add(Unpooled.EMPTY_BUFFER, done);
    flushSend();
    return done;
  }

  /** Records the peer's first answer; true only the first time. */
  boolean markAcknowledged() {
    if (acknowledged) {
      return false;
    }
    acknowledged = true;
    return true;
  }

  /** Accounts a DATA frame header; false when the peer exceeded its credit. */
  boolean receive(long length) {
    return receive.receive(length);
  }

  /** True while the peer may still send data on this stream. */
  boolean acceptsData() {
    return !reset && !remoteFin;
  }

  void onData(ByteBuf piece) {
    if (reset || remoteFin) {
      piece.release();
    } else if (listener != null && !paused && inbound.isEmpty()) {
      deliver(piece);
    } else {
      inbound.add(piece);
    }
  }

  void onWindowUpdate(long delta) throws YamuxProtocolException {
    if (!send.addWindow(delta)) {
      throw new YamuxProtocolException(
          Violation.WINDOW_OVERFLOW, "stream " + id + " window " + send.window() + " + " + delta);
    }
    flushSend();
  }

  void onRemoteFin() {
    if (reset || remoteFin) {
      return;
    }
    remoteFin = true;
    deliverBuffered();
    finishIfClosed();
  }

  void onRemoteReset() {
    endAbnormally(new YamuxException("stream " + id + " reset by peer"), true);
  }

  /** The connection is gone: fail everything and tell the listener; no frame is sent. */
  void onSessionClosed(YamuxException cause) {
    endAbnormally(cause, true);
  }

  // ---- internals ----

  private void writeOnLoop(ByteBuf data, CompletableFuture<Void> done) {
    if (reset || closeWriteRequested) {
      data.release();
      done.completeExceptionally(
          new YamuxException("stream " + id + (reset ? " is reset" : " is closed for writing")));
      return;
    }
    if (send.backlogAfter(data.readableBytes()) > config.maxPendingBytesPerStream()) {
      data.release();
      YamuxException e =
          new YamuxException(
              "stream "
                  + id
                  + ": write would exceed yamux.maxPendingBytesPerStream "
                  + config.maxPendingBytesPerStream());
      done.completeExceptionally(e);
      resetLocally(e);
      return;
    }
    send.add(data, done);
    flushSend();
  }

  private void flushSend() {
    if (reset) {
      return;
    }
    boolean drained = send.drain(id, config.sendFrameSize(), session);
    if (drained && closeWriteRequested && !finSent && !reset) {
      finSent = true;
      session.writeControl(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_FIN, id, 0);
      finishIfClosed();
    }
  }

  private void deliver(ByteBuf piece) {
    int length = piece.readableBytes();
    try {
      listener.onData(this, piece);
    } catch (RuntimeException e) {
      LOG.warn("yamux stream {} listener failed in onData; resetting the stream", id, e);
      resetLocally(new YamuxException("stream " + id + " listener failed: " + e));
      return;
    }
    if (!reset && !remoteFin) {
      long delta = receive.consume(length, session.rttNanos());
      if (delta > 0) {
        session.writeControl(YamuxHeader.TYPE_WINDOW_UPDATE, 0, id, (int) delta);
      }
    }
  }

  private void deliverBuffered() {
    while (listener != null && !paused && !reset && !inbound.isEmpty()) {
      deliver(inbound.poll());
    }
    if (listener == null) {
      return;
    }
    if (reset) {
      if (resetUndelivered) {
        resetUndelivered = false;
        notifyReset();
      }
    } else if (remoteFin && !remoteFinDelivered && inbound.isEmpty() && !paused) {
      remoteFinDelivered = true;
      try {
        listener.onRemoteClose(this);
      } catch (RuntimeException e) {
        LOG.warn("yamux stream {} listener failed in onRemoteClose", id, e);
      }
      finishIfClosed();
    }
  }

  /**
   * Leaves the session's table once both FINs are through and the listener took everything: until
   * then the stream holds buffers that a closing connection must release.
   */
  private void finishIfClosed() {
    if (open && finSent && remoteFinDelivered) {
      open = false;
      session.streamClosed(this);
    }
  }

  /** Reset from this side; {@code cause} non-null means the listener hears of it. */
  private void resetLocally(YamuxException cause) {
    if (reset) {
      return;
    }
    boolean wasOpen = open;
    if (wasOpen) {
      session.writeControl(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, id, 0);
    }
    endAbnormally(
        cause != null ? cause : new YamuxException("stream " + id + " reset locally"),
        cause != null);
  }

  private void endAbnormally(YamuxException cause, boolean tellListener) {
    if (reset) {
      return;
    }
    reset = true;
    boolean wasOpen = open;
    open = false;
    ByteBuf b;
    while ((b = inbound.poll()) != null) {
      b.release();
    }
    send.failAll(cause);
    if (wasOpen) {
      session.streamClosed(this);
    }
    if (tellListener) {
      if (listener != null) {
        notifyReset();
      } else {
        resetUndelivered = true;
      }
    }
  }

  private void notifyReset() {
    try {
      listener.onReset(this);
    } catch (RuntimeException e) {
      LOG.warn("yamux stream {} listener failed in onReset", id, e);
    }
  }

  private void onLoop(Runnable task) {
    EventLoop loop = session.eventLoop();
    if (loop.inEventLoop()) {
      task.run();
    } else {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException e) {
        // The event loop is shut down, so the connection and this stream are already gone.
      }
    }
  }

  @Override
  public String toString() {
    return "YamuxStream{id=" + id + (initiator ? ", outbound" : ", inbound") + "}";
  }
}
