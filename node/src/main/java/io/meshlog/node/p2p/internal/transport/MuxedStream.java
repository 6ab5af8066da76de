package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamListener;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.p2p.internal.Varint;
import io.meshlog.node.p2p.internal.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProtocolStream} on a Yamux stream, after multistream-select agreed its protocol.
 *
 * <p>Receive state (listener, framer, pending bytes) is owned by the Yamux stream's event loop;
 * methods called from elsewhere hop onto it. Writes go straight to the Yamux stream, which is
 * thread-safe and keeps them in order.
 */
final class MuxedStream implements ProtocolStream, YamuxStream.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(MuxedStream.class);

  private final YamuxStream yamux;
  private final NettyConnection connection;
  private final String protocolId;
  private final EventLoop loop;

  // owned by loop
  private StreamListener rawListener;
  private MessageListener messageListener;
  private MessageFramer framer;
  private ByteBuf pending;
  private boolean remoteClosed;
  private boolean reset;
  private volatile boolean localClosed;

  MuxedStream(YamuxStream yamux, NettyConnection connection, String protocolId) {
    this.yamux = yamux;
    this.connection = connection;
    this.protocolId = protocolId;
    this.loop = yamux.eventLoop();
    connection.track(this);
  }

  @Override
  public String protocolId() {
    return protocolId;
  }

  @Override
  public PeerId remotePeer() {
    return connection.remotePeer();
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public boolean isInitiator() {
    return yamux.isInitiator();
  }

  @Override
  public CompletableFuture<Void> write(byte[] data) {
    return yamux.write(Unpooled.wrappedBuffer(data));
  }

  @Override
  public CompletableFuture<Void> write(ByteBuffer data) {
    return yamux.write(Unpooled.copiedBuffer(data));
  }

  @Override
  public CompletableFuture<Void> writeMessage(byte[] message) {
    ByteBuf prefix = Unpooled.buffer(Varint.size(message.length));
    Varint.write(prefix, message.length);
    return yamux.write(Unpooled.wrappedBuffer(prefix, Unpooled.wrappedBuffer(message)));
  }

  @Override
  public void setListener(StreamListener listener) {
    onLoop(
        () -> {
          rawListener = listener;
          messageListener = null;
          releaseFramer();
          drainPending();
        });
  }

  @Override
  public void setMessageListener(int maxMessageBytes, MessageListener listener) {
    onLoop(
        () -> {
          rawListener = null;
          messageListener = listener;
          releaseFramer();
          framer = new MessageFramer(ByteBufAllocator.DEFAULT, maxMessageBytes);
          drainPending();
        });
  }

  @Override
  public void closeWrite() {
    localClosed = true;
    yamux.closeWrite();
    onLoop(this::untrackIfDone);
  }

  @Override
  public void reset() {
    yamux.reset();
    onLoop(this::resetLocally);
  }

  @Override
  public boolean isOpen() {
    return yamux.isOpen();
  }

  // ---- YamuxStream.Listener, on loop

  @Override
  public void onData(YamuxStream s, ByteBuf data) {
    if (reset) {
      data.release();
      return;
    }
    if (rawListener == null && messageListener == null) {
      buffer(data);
      return;
    }
    deliver(data);
  }

  @Override
  public void onRemoteClose(YamuxStream s) {
    remoteClosed = true;
    untrackIfDone();
    if (pending == null) {
      notifyRemoteClose();
    }
  }

  @Override
  public void onReset(YamuxStream s) {
    resetLocally();
  }

  private void buffer(ByteBuf data) {
    int limit = connection.host().config().maxMessageSize();
    if (pending == null) {
      pending = data;
    } else if (pending.readableBytes() + data.readableBytes() > limit) {
      data.release();
      reject("more than " + limit + " bytes before the stream had a listener");
      return;
    } else {
      pending = Unpooled.wrappedBuffer(pending, data);
    }
    if (pending.readableBytes() > limit) {
      reject("more than " + limit + " bytes before the stream had a listener");
    }
  }

  private void drainPending() {
    ByteBuf p = pending;
    pending = null;
    if (p != null) {
      deliver(p);
    }
    if (remoteClosed && !reset) {
      notifyRemoteClose();
    }
  }

  private void deliver(ByteBuf data) {
    try {
      if (rawListener != null) {
        rawListener.onData(this, data.nioBuffer());
        data.release();
      } else if (framer == null) {
        data.release(); // after the remote closed: nothing to frame into
      } else {
        String malformed = framer.feed(data, this::deliverMessage);
        if (malformed != null) {
          reject(malformed);
        }
      }
    } catch (RuntimeException e) {
      if (data.refCnt() > 0 && rawListener != null) {
        data.release();
      }
      LOG.warn("listener of {} stream from {} failed; resetting it", protocolId, remotePeer(), e);
      reset();
    }
  }

  private void deliverMessage(byte[] message) {
    if (!reset && messageListener != null) {
      messageListener.onMessage(this, message);
    }
  }

  private void notifyRemoteClose() {
    if (rawListener == null && messageListener == null) {
      return; // told when a listener is set
    }
    // Nothing more will arrive: a partial message can never complete.
    releaseFramer();
    try {
      if (rawListener != null) {
        rawListener.onRemoteClose(this);
      } else {
        messageListener.onRemoteClose(this);
      }
    } catch (RuntimeException e) {
      LOG.warn("listener of {} stream from {} failed on close", protocolId, remotePeer(), e);
    }
  }

  private void reject(String reason) {
    connection.host().counters().increment(TransportCounter.REJECTED_STREAM);
    connection.host().events().inputRejected(remotePeer(), "stream", protocolId + ": " + reason);
    reset();
  }

  /** The connection went away; on loop. Idempotent with the session's own notification. */
  void connectionClosed() {
    resetLocally();
  }

  private void untrackIfDone() {
    if (remoteClosed && localClosed) {
      connection.untrack(this);
    }
  }

  private void resetLocally() {
    if (reset) {
      return;
    }
    reset = true;
    connection.untrack(this);
    if (pending != null) {
      pending.release();
      pending = null;
    }
    releaseFramer();
    try {
      if (rawListener != null) {
        rawListener.onReset(this);
      } else if (messageListener != null) {
        messageListener.onReset(this);
      }
    } catch (RuntimeException e) {
      LOG.warn("listener of {} stream from {} failed on reset", protocolId, remotePeer(), e);
    }
  }

  private void releaseFramer() {
    if (framer != null) {
      framer.release();
      framer = null;
    }
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public String toString() {
    return protocolId + "#" + yamux.id() + "@" + remotePeer();
  }
}
