package io.meshlog.node.p2p.internal.yamux;

import io.meshlog.node.p2p.internal.yamux.YamuxProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session over one secured connection, as the last inbound handler of its pipeline: reads
 * frames, dispatches them to {@link YamuxStream}s and writes the streams' frames. It is added once
 * multistream agreed {@code /yamux/1.0.0}; bytes read past that exchange may be fired into it.
 *
 * <p>Threading: a single-threaded state machine on the connection's event loop, kept in one class
 * on purpose (the stream table, id allocation, go-away and ping state change together). The public
 * methods may be called from any thread and hop onto the loop; futures complete on the loop.
 *
 * <p>A peer that breaks the protocol loses the connection: the session sends GO_AWAY (protocol
 * error), fires {@link YamuxProtocolException} through {@code exceptionCaught} and closes the
 * channel. When the channel closes every stream's listener gets {@code onReset} and every pending
 * future fails with {@link YamuxException}. Closing the channel through the pipeline sends a normal
 * GO_AWAY first.
 *
 * <p>Writes are batched: frames go to the channel as they are produced and are flushed once per
 * read burst or event-loop turn, not per frame.
 */
public final class YamuxSession extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  /** Payloads up to this size are copied behind their header; larger ones are not copied. */
  private static final int COPY_THRESHOLD = 1024;

  /**
   * Streams this side may have opened and the peer not yet acknowledged (libp2p's yamux spec: at
   * most 256). Opens beyond it wait for an acknowledgement: the only backpressure yamux has on
   * opening streams.
   */
  static final int MAX_ACK_BACKLOG = 256;

  private final boolean initiator;
  private final YamuxConfig config;
  private final Consumer<YamuxStream> onInbound;
  private final IntObjectHashMap<YamuxStream> streams = new IntObjectHashMap<>();
  private final YamuxFrameDecoder decoder;
  private final FrameDispatch dispatch = new FrameDispatch();
  private final PingTracker pings = new PingTracker();
  private final Runnable flushTask = this::runScheduledFlush;
  private final ArrayDeque<CompletableFuture<YamuxStream>> waitingOpens = new ArrayDeque<>();

  private ChannelHandlerContext ctx;

  /** Set once when the handler is added; read by other threads to hop onto the loop. */
  private volatile EventLoop loop;

  private int nextLocalId;
  private int highestRemoteId;
  private int unacknowledged;
  private boolean localGoAway;
  private volatile boolean remoteGoAway;
  private boolean closed;
  private boolean started;
  private boolean needsFlush;
  private boolean flushScheduled;
  private volatile int streamCount;

  /**
   * @param initiator true on the side that dialed the connection (its streams get odd ids)
   * @param config limits and windows; validated here
   * @param onInbound called on the event loop with every stream the peer opens (already
   *     acknowledged); set its listener there or later, data is buffered until then
   * @throws IllegalArgumentException naming the bad config key
   */
  public YamuxSession(boolean initiator, YamuxConfig config, Consumer<YamuxStream> onInbound) {
    this.initiator = initiator;
    this.config = Objects.requireNonNull(config, "config").validate();
    this.onInbound = Objects.requireNonNull(onInbound, "onInbound");
    this.nextLocalId = initiator ? 1 : 2;
    this.decoder = new YamuxFrameDecoder(config.maxFrameSize());
  }

  /**
   * Opens a stream: sends SYN (with the configured window) right away; data may follow at once.
   * While 256 streams opened here are not yet acknowledged by the peer, the open waits for an
   * acknowledgement. Any thread.
   *
   * @return the stream, or a failure ({@link YamuxException}) when the session is closed, either
   *     side sent GO_AWAY, or {@code yamux.maxStreams} streams are open
   */
  public CompletableFuture<YamuxStream> openStream() {
    CompletableFuture<YamuxStream> done = new CompletableFuture<>();
    onLoop(() -> openOnLoop(done), done);
    return done;
  }

  /**
   * Sends a yamux PING and measures the round trip. Any thread.
   *
   * @return the round-trip time, or a failure when the session closes first or too many pings are
   *     outstanding
   */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> done = new CompletableFuture<>();
    onLoop(() -> pingOnLoop(done), done);
    return done;
  }

  /**
   * Sends GO_AWAY with {@code code} (0 normal, 1 protocol error, 2 internal error): no new streams
   * are accepted or opened; open ones go on. Any thread.
   */
  public void goAway(int code) {
    onLoop(() -> goAwayOnLoop(code), null);
  }

  /**
   * Completes once everything the streams had written when this was called went to the connection,
   * data that waits for the peer's window included (the peer grants more as it reads): the moment a
   * clean close may close the channel behind it. Completes at once when the session is closed; a
   * stream reset meanwhile no longer counts. Never fails. Any thread; completes on the event loop.
   */
  public CompletableFuture<Void> whenStreamsWritten() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> whenStreamsWrittenOnLoop(done), done);
    return done.exceptionally(e -> null);
  }

  /** Streams currently open in both directions. Any thread. */
  public int streamCount() {
    return streamCount;
  }

  // ---- Netty callbacks ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.loop = ctx.channel().eventLoop();
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    try {
      if (!closed) {
        decoder.decode(in, dispatch);
      }
    } catch (YamuxProtocolException e) {
      failConnection(e, YamuxHeader.GO_AWAY_PROTOCOL_ERROR);
    } catch (RuntimeException e) {
      // A bug of ours: the session state can no longer be trusted, so the connection goes.
      LOG.warn("yamux session on {} failed; closing the connection", ctx.channel(), e);
      failConnection(
          new YamuxException("internal error: " + e, e), YamuxHeader.GO_AWAY_INTERNAL_ERROR);
    } finally {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushNow();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    teardown(new YamuxException("connection closed"));
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    teardown(new YamuxException("yamux session removed from the connection"));
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!closed && !localGoAway && ctx.channel().isActive()) {
      localGoAway = true;
      writeControl(YamuxHeader.TYPE_GO_AWAY, 0, 0, YamuxHeader.GO_AWAY_NORMAL);
      ctx.flush();
    }
    ctx.close(promise);
  }

  // ---- used by streams, on the event loop ----

  EventLoop eventLoop() {
    return loop;
  }

  long rttNanos() {
    return pings.rttNanos();
  }

  void writeControl(int type, int flags, int streamId, int length) {
    if (closed) {
      return;
    }
    ByteBuf frame = ctx.alloc().buffer(YamuxHeader.SIZE);
    YamuxHeader.write(frame, type, flags, streamId, length);
    ctx.write(frame, ctx.voidPromise());
    requestFlush();
  }

  /** Writes one DATA frame; takes ownership of {@code payload}. */
  void writeData(int streamId, ByteBuf payload) {
    if (closed) {
      payload.release();
      return;
    }
    int n = payload.readableBytes();
    ByteBuf frame;
    if (n <= COPY_THRESHOLD) {
      frame = ctx.alloc().buffer(YamuxHeader.SIZE + n);
      YamuxHeader.write(frame, YamuxHeader.TYPE_DATA, 0, streamId, n);
      frame.writeBytes(payload);
      payload.release();
    } else {
      ByteBuf header = ctx.alloc().buffer(YamuxHeader.SIZE);
      YamuxHeader.write(header, YamuxHeader.TYPE_DATA, 0, streamId, n);
      frame = ctx.alloc().compositeBuffer(2).addComponents(true, header, payload);
    }
    ctx.write(frame, ctx.voidPromise());
    requestFlush();
  }

  void streamClosed(YamuxStream stream) {
    if (streams.remove(stream.id()) != null) {
      streamCount = streams.size();
      acknowledged(stream);
    }
  }

  /** The peer answered on one of our streams (or it ended): it leaves the ACK backlog. */
  private void acknowledged(YamuxStream stream) {
    if (stream.isInitiator() && stream.markAcknowledged()) {
      unacknowledged--;
      while (!waitingOpens.isEmpty() && unacknowledged < MAX_ACK_BACKLOG && !closed) {
        openOnLoop(waitingOpens.poll());
      }
    }
  }

  // ---- internals ----

  private void start() {
    if (started) {
      return;
    }
    started = true;
    // A first round-trip sample lets receive windows grow on slow links; a peer answers pings
    // without being asked to.
    if (config.maxWindowSize() > config.initialWindowSize()) {
      pingOnLoop(new CompletableFuture<>());
    }
  }

  private void openOnLoop(CompletableFuture<YamuxStream> done) {
    String refusal = null;
    if (closed || !ctx.channel().isActive()) {
      refusal = "connection closed";
    } else if (remoteGoAway) {
      refusal = "peer sent GO_AWAY";
    } else if (localGoAway) {
      refusal = "session is going away";
    } else if (streams.size() + waitingOpens.size() >= config.maxStreams()) {
      refusal = "yamux.maxStreams " + config.maxStreams() + " reached";
    } else if (nextLocalId < 0) {
      refusal = "stream ids exhausted";
    }
    if (refusal != null) {
      done.completeExceptionally(new YamuxException(refusal));
      return;
    }
    if (unacknowledged >= MAX_ACK_BACKLOG) {
      waitingOpens.add(done);
      return;
    }
    unacknowledged++;
    int id = nextLocalId;
    nextLocalId += 2;
    YamuxStream stream = new YamuxStream(this, id, true, config);
    streams.put(id, stream);
    streamCount = streams.size();
    writeControl(
        YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, id, stream.growInitialWindow());
    done.complete(stream);
  }

  private void whenStreamsWrittenOnLoop(CompletableFuture<Void> done) {
    if (closed) {
      done.complete(null);
      return;
    }
    ArrayList<CompletableFuture<Void>> written = new ArrayList<>(streams.size());
    for (YamuxStream s : streams.values()) {
      written.add(s.whenWritten().exceptionally(e -> null));
    }
    CompletableFuture.allOf(written.toArray(new CompletableFuture<?>[0]))
        .whenComplete((v, e) -> done.complete(null));
  }

  private void pingOnLoop(CompletableFuture<Duration> done) {
    if (closed) {
      done.completeExceptionally(new YamuxException("connection closed"));
      return;
    }
    long opaque = pings.start(done);
    if (opaque < 0) {
      done.completeExceptionally(
          new YamuxException(PingTracker.MAX_OUTSTANDING + " pings already outstanding"));
      return;
    }
    writeControl(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, (int) opaque);
  }

  private void goAwayOnLoop(int code) {
    if (!closed && !localGoAway) {
      localGoAway = true;
      writeControl(YamuxHeader.TYPE_GO_AWAY, 0, 0, code);
    }
  }

  private void requestFlush() {
    needsFlush = true;
    if (!flushScheduled) {
      flushScheduled = true;
      try {
        loop.execute(flushTask);
      } catch (RejectedExecutionException e) {
        // The loop is shutting down and the channel with it; nothing left to flush to.
        flushScheduled = false;
      }
    }
  }

  private void runScheduledFlush() {
    flushScheduled = false;
    flushNow();
  }

  private void flushNow() {
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
  }

  private void failConnection(YamuxException e, int goAwayCode) {
    if (closed) {
      return;
    }
    LOG.debug("yamux session on {} failed: {}", ctx.channel(), e.getMessage());
    writeControl(YamuxHeader.TYPE_GO_AWAY, 0, 0, goAwayCode);
    ctx.flush();
    teardown(e);
    ctx.fireExceptionCaught(e);
    ctx.close();
  }

  private void teardown(YamuxException cause) {
    if (closed) {
      return;
    }
    closed = true;
    localGoAway = true;
    ArrayList<YamuxStream> all = new ArrayList<>(streams.values());
    streams.clear();
    streamCount = 0;
    for (YamuxStream s : all) {
      s.onSessionClosed(cause);
    }
    CompletableFuture<YamuxStream> open;
    while ((open = waitingOpens.poll()) != null) {
      open.completeExceptionally(cause);
    }
    pings.failAll(cause);
  }

  private void onLoop(Runnable task, CompletableFuture<?> failOnReject) {
    EventLoop loop = this.loop;
    if (loop == null) {
      if (failOnReject != null) {
        failOnReject.completeExceptionally(new YamuxException("session not on a connection"));
      }
      return;
    }
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      if (failOnReject != null) {
        failOnReject.completeExceptionally(new YamuxException("connection closed"));
      }
    }
  }

  private boolean isRemoteId(int id) {
    return ((id & 1) == 1) != initiator;
  }

  /** Turns decoded frames into stream and session events. */
  private final class FrameDispatch implements YamuxFrameDecoder.FrameHandler {
    private YamuxStream dataTarget;
    private int dataFlags;

    @Override
    public void onHeader(int type, int flags, int streamId, long length)
        throws YamuxProtocolException {
      dataTarget = null;
      if (closed) {
        return;
      }
      switch (type) {
        case YamuxHeader.TYPE_DATA:
        case YamuxHeader.TYPE_WINDOW_UPDATE:
          onStreamFrame(type, flags, streamId, length);
          break;
        case YamuxHeader.TYPE_PING:
          if ((flags & YamuxHeader.FLAG_SYN) != 0) {
            // A peer that pings without reading would otherwise grow our outbound buffer.
            if (ctx.channel().isWritable()) {
              writeControl(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_ACK, 0, (int) length);
            }
          } else if ((flags & YamuxHeader.FLAG_ACK) != 0) {
            pings.complete((int) length);
          }
          break;
        default: // GO_AWAY: the decoder rejected every other type
          remoteGoAway = true;
          LOG.debug("yamux peer on {} sent GO_AWAY code {}", ctx.channel(), length);
          break;
      }
    }

    @Override
    public void onPayload(ByteBuf piece) {
      YamuxStream target = dataTarget;
      if (target == null) {
        piece.release();
      } else {
        target.onData(piece);
      }
    }

    @Override
    public void onDataEnd() {
      YamuxStream target = dataTarget;
      dataTarget = null;
      if (target != null) {
        endFlags(target, dataFlags);
      }
    }

    private void onStreamFrame(int type, int flags, int streamId, long length)
        throws YamuxProtocolException {
      YamuxStream stream = streamFor(flags, streamId);
      if (stream == null) {
        return;
      }
      // Any answer counts, not only ACK: a peer that skips the flag must not stall our opens.
      acknowledged(stream);
      if (type == YamuxHeader.TYPE_WINDOW_UPDATE) {
        if (length > 0) {
          stream.onWindowUpdate(length);
        }
        endFlags(stream, flags);
        return;
      }
      if (!stream.acceptsData()) {
        // Data after the peer's own FIN: the stream is broken, the connection is not.
        if (length > 0) {
          stream.reset();
          return;
        }
      } else if (!stream.receive(length)) {
        throw new YamuxProtocolException(
            Violation.WINDOW_EXCEEDED, length + " bytes beyond the window of stream " + streamId);
      }
      dataTarget = stream;
      dataFlags = flags;
    }

    private void endFlags(YamuxStream stream, int flags) {
      if ((flags & YamuxHeader.FLAG_RST) != 0) {
        stream.onRemoteReset();
      } else if ((flags & YamuxHeader.FLAG_FIN) != 0) {
        stream.onRemoteFin();
      }
    }

    /** The frame's stream; null when the frame is for a closed stream and is to be dropped. */
    private YamuxStream streamFor(int flags, int streamId) throws YamuxProtocolException {
      if (streamId == 0) {
        throw new YamuxProtocolException(Violation.BAD_STREAM_ID, "stream frame with id 0");
      }
      if ((flags & YamuxHeader.FLAG_SYN) != 0) {
        return acceptInbound(streamId);
      }
      YamuxStream stream = streams.get(streamId);
      if (stream != null) {
        return stream;
      }
      boolean neverOpened =
          isRemoteId(streamId)
              ? Integer.compareUnsigned(streamId, highestRemoteId) > 0
              : Integer.compareUnsigned(streamId, nextLocalId) >= 0;
      if (neverOpened) {
        throw new YamuxProtocolException(
            Violation.UNKNOWN_STREAM, "frame for stream " + streamId + " that was never opened");
      }
      // A stream closed or reset earlier: frames in flight are expected and dropped.
      return null;
    }

    private YamuxStream acceptInbound(int streamId) throws YamuxProtocolException {
      if (!isRemoteId(streamId) || Integer.compareUnsigned(streamId, highestRemoteId) <= 0) {
        throw new YamuxProtocolException(
            Violation.BAD_STREAM_ID, "SYN for stream " + streamId + " (wrong parity or reused)");
      }
      highestRemoteId = streamId;
      if (localGoAway || streams.size() >= config.maxStreams()) {
        // Refused; like ping answers, refusals are not queued for a peer that does not read.
        if (ctx.channel().isWritable()) {
          writeControl(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, streamId, 0);
        }
        return null;
      }
      YamuxStream stream = new YamuxStream(YamuxSession.this, streamId, false, config);
      streams.put(streamId, stream);
      streamCount = streams.size();
      writeControl(
          YamuxHeader.TYPE_WINDOW_UPDATE,
          YamuxHeader.FLAG_ACK,
          streamId,
          stream.growInitialWindow());
      try {
        onInbound.accept(stream);
      } catch (RuntimeException e) {
        LOG.warn("inbound yamux stream handler failed; resetting stream {}", streamId, e);
        stream.reset();
      }
      return stream.isOpen() ? stream : null;
    }
  }
}
