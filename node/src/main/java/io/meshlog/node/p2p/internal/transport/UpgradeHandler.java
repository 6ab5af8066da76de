package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.p2p.internal.multistream.MultistreamHandler;
import io.meshlog.node.p2p.internal.multistream.MultistreamNegotiator;
import io.meshlog.node.p2p.internal.noise.NoiseException;
import io.meshlog.node.p2p.internal.noise.NoiseSecureHandler;
import io.meshlog.node.p2p.internal.noise.SecureSessionEstablished;
import io.meshlog.node.p2p.internal.yamux.YamuxProtocolException;
import io.meshlog.node.p2p.internal.yamux.YamuxSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the upgrade of one TCP channel and then watches the connection's life, from the tail of
 * the pipeline. It installs each layer when the previous one agrees (see the package diagram),
 * enforces the handshake timeout, and turns every way a connection can end into one event with a
 * reason: {@code CONNECTION_FAILED} before the upgrade completed, {@code CONNECTION_CLOSED} after.
 * Errors from a layer close the connection and are journaled as {@code INPUT_REJECTED} with that
 * layer's name.
 *
 * <p>Owned by the channel's event loop; one instance per channel.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter
    implements MultistreamHandler.Listener {

  static final String NOISE = "/noise";
  static final String YAMUX = "/yamux/1.0.0";

  private enum Phase {
    SECURITY_NEGOTIATION("multistream"),
    NOISE_HANDSHAKE("noise"),
    MUXER_NEGOTIATION("multistream"),
    OPEN("yamux"),
    DUPLICATE("duplicate"),
    CLOSED("closed");

    final String layer;

    Phase(String layer) {
      this.layer = layer;
    }
  }

  private final NettyHost host;
  private final boolean initiator;
  private final PeerId expectedPeer;
  private final CompletableFuture<Connection> dialResult;
  private Phase phase = Phase.SECURITY_NEGOTIATION;
  private PeerId remotePeer;
  private NettyConnection connection;
  private ConnectionTable.Admission admission;
  private ScheduledFuture<?> timeout;
  private String closeReason;
  private ChannelHandlerContext self;
  // Connections to the same peer that wait for this one's close to be handled (FOLLOWS); run on
  // this channel's event loop once it is.
  private final List<Runnable> followers = new java.util.ArrayList<>();

  UpgradeHandler(
      NettyHost host,
      boolean initiator,
      PeerId expectedPeer,
      CompletableFuture<Connection> dialResult) {
    this.host = host;
    this.initiator = initiator;
    this.expectedPeer = expectedPeer;
    this.dialResult = dialResult;
  }

  /** The first pipeline handler of a fresh channel: multistream proposing or accepting Noise. */
  MultistreamHandler firstNegotiation() {
    MultistreamNegotiator n =
        initiator
            ? MultistreamNegotiator.dialer(
                List.of(NOISE), MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH)
            : MultistreamNegotiator.listener(
                NOISE::equals, MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH);
    return new MultistreamHandler(n, this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    self = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long ms = host.config().handshakeTimeout().toMillis();
    timeout = ctx.executor().schedule(() -> onTimeout(ctx), ms, TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  private void onTimeout(ChannelHandlerContext ctx) {
    if (phase != Phase.OPEN && phase != Phase.CLOSED) {
      host.counters().increment(TransportCounter.HANDSHAKE_TIMEOUTS);
      closeWith(ctx, "handshake timeout in " + phase.layer);
    }
  }

  @Override
  public void onSelected(ChannelHandlerContext msCtx, String protocol) {
    ChannelPipeline pipeline = msCtx.pipeline();
    if (phase == Phase.SECURITY_NEGOTIATION) {
      phase = Phase.NOISE_HANDSHAKE;
      pipeline.addAfter(
          msCtx.name(), "noise", new NoiseSecureHandler(host.identity(), initiator, expectedPeer));
      MultistreamNegotiator n =
          initiator
              ? MultistreamNegotiator.dialer(
                  List.of(YAMUX), MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH)
              : MultistreamNegotiator.listener(
                  this::acceptMuxer, MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH);
      pipeline.addAfter("noise", "muxer-negotiation", new MultistreamHandler(n, this));
    } else if (phase == Phase.MUXER_NEGOTIATION) {
      if (connection == null) {
        // The dialer: the listener registered its side before it answered (acceptMuxer).
        connection = newConnection(msCtx.channel());
        admission = host.register(connection);
      }
      pipeline.addAfter(msCtx.name(), "yamux", connection.session());
      phase = Phase.OPEN;
      timeout.cancel(false);
      act(msCtx, admission);
    }
  }

  /**
   * The listener's muxer choice. It registers the connection before the answer leaves: the dialer
   * registers only once it reads the answer, so it can never judge this connection (and close it as
   * a duplicate) before this side holds it too. Otherwise a loser could reach this side's table
   * after the winner, and after the remote closed it, and be announced alone.
   */
  private boolean acceptMuxer(String protocol) {
    if (!YAMUX.equals(protocol) || connection != null) {
      return false;
    }
    connection = newConnection(self.channel());
    admission = host.register(connection);
    return true;
  }

  private NettyConnection newConnection(io.netty.channel.Channel channel) {
    NettyConnection[] holder = new NettyConnection[1];
    YamuxSession session =
        new YamuxSession(
            initiator, host.yamuxConfig(), stream -> holder[0].onInboundStream(stream));
    Direction direction = initiator ? Direction.OUTBOUND : Direction.INBOUND;
    Multiaddr remote = Multiaddr.of((InetSocketAddress) channel.remoteAddress());
    holder[0] = new NettyConnection(host, channel, session, remotePeer, direction, remote);
    return holder[0];
  }

  /**
   * Acts on the table's verdict for the upgraded connection; on the event loop. Registering may
   * refuse (too many connections) or find a connection to the same peer.
   */
  private void act(ChannelHandlerContext ctx, ConnectionTable.Admission admission) {
    Direction direction = connection.direction();
    switch (admission.verdict()) {
      case REFUSED -> {
        host.counters().increment(TransportCounter.CONNECTIONS_REFUSED);
        phase = Phase.MUXER_NEGOTIATION;
        closeWith(ctx, admission.reason());
      }
      case DUPLICATE -> {
        // Never announced; the dial (if this was one) gets the connection that stays.
        phase = Phase.DUPLICATE;
        host.counters().increment(TransportCounter.CONNECTIONS_DUPLICATE);
        host.events().connectionDuplicate(remotePeer, direction, admission.reason());
        if (dialResult != null) {
          admission
              .other()
              .ready()
              .whenComplete(
                  (kept, e) -> {
                    if (e == null) {
                      dialResult.complete(kept);
                    } else {
                      dialResult.completeExceptionally(e);
                    }
                  });
        }
        closeWith(ctx, admission.reason());
      }
      case SUPERSEDES -> {
        // Announced once the one it replaces has closed and its listeners heard so (the host
        // calls announceLater): no listener ever sees two connections to one peer.
        NettyConnection old = admission.other();
        host.counters().increment(TransportCounter.CONNECTIONS_DUPLICATE);
        host.events().connectionDuplicate(remotePeer, old.direction(), admission.reason());
        close(old, admission.reason());
      }
      case FOLLOWS -> follow(admission.other());
      case ADDED -> announce();
    }
  }

  /**
   * Registers again once {@code closing} has closed and the host handled it (out of the table, its
   * listeners told), which its own handler reports on its event loop.
   */
  private void follow(NettyConnection closing) {
    Runnable again = () -> runOnOwnLoop(this::admitAgain);
    try {
      closing
          .channel()
          .eventLoop()
          .execute(
              () -> {
                UpgradeHandler h = closing.channel().pipeline().get(UpgradeHandler.class);
                if (h == null || h.phase == Phase.CLOSED) {
                  again.run();
                } else {
                  h.followers.add(again);
                }
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      again.run(); // the event loop is shutting down: the host is closing, and refuses this one
    }
  }

  private void admitAgain() {
    // It may have closed while it waited; then channelInactive reports it, never registered.
    if (phase == Phase.OPEN && connection.isOpen() && self != null) {
      act(self, host.register(connection));
    }
  }

  private void runOnOwnLoop(Runnable task) {
    try {
      connection.channel().eventLoop().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      connection.channel().close(); // the event loop is shutting down; the channel goes with it
    }
  }

  /** Tells the journal, the dialler and the host's listeners; on the event loop. */
  private void announce() {
    if (phase != Phase.OPEN || connection.isAnnounced() || !connection.isOpen()) {
      return;
    }
    Direction direction = initiator ? Direction.OUTBOUND : Direction.INBOUND;
    host.counters().increment(TransportCounter.CONNECTIONS_OPENED);
    host.events().connectionOpened(remotePeer, direction, connection.remoteAddress().toString());
    connection.markAnnounced();
    if (dialResult != null) {
      dialResult.complete(connection);
    }
    host.onOpened(connection);
    connection.releaseHeldStreams();
  }

  /** Announces {@code c} on its event loop, once the connection it superseded has closed. */
  static void announceLater(NettyConnection c) {
    try {
      c.channel()
          .eventLoop()
          .execute(
              () -> {
                UpgradeHandler h = c.channel().pipeline().get(UpgradeHandler.class);
                if (h != null) {
                  h.announce();
                }
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the event loop is shutting down; the connection goes with it
    }
  }

  @Override
  public void onFailed(ChannelHandlerContext ctx, String reason) {
    reject(ctx, "multistream", reason);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SecureSessionEstablished established) {
      remotePeer = established.remotePeer();
      if (expectedPeer != null && !expectedPeer.equals(remotePeer)) {
        reject(ctx, "noise", "remote is " + remotePeer + ", expected " + expectedPeer);
        return;
      }
      phase = Phase.MUXER_NEGOTIATION;
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (phase == Phase.CLOSED || phase == Phase.DUPLICATE) {
      return;
    }
    if (cause instanceof YamuxProtocolException) {
      reject(ctx, "yamux", cause.getMessage());
      return;
    }
    if (cause instanceof NoiseException) {
      reject(ctx, "noise", cause.getMessage());
      return;
    }
    if (cause instanceof java.io.IOException) {
      // Socket-level trouble (reset by peer, broken pipe): the peer went away, it did not cheat.
      closeWith(ctx, "closed by remote: " + cause.getMessage());
      return;
    }
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    reject(ctx, phase.layer, message);
  }

  private void reject(ChannelHandlerContext ctx, String layer, String reason) {
    if (phase == Phase.CLOSED || phase == Phase.DUPLICATE) {
      return;
    }
    TransportCounter counter =
        switch (layer) {
          case "multistream" -> TransportCounter.REJECTED_MULTISTREAM;
          case "noise" -> TransportCounter.REJECTED_NOISE;
          default -> TransportCounter.REJECTED_YAMUX;
        };
    host.counters().increment(counter);
    host.events().inputRejected(remotePeer, layer, reason);
    closeWith(ctx, layer + ": " + reason);
  }

  /** Closes the channel; the first reason given is the one reported. */
  void closeWith(ChannelHandlerContext ctx, String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    ctx.close();
  }

  /** Closes from outside the pipeline (disconnect, host shutdown); runs on the event loop. */
  static void close(NettyConnection connection, String reason) {
    try {
      connection
          .channel()
          .eventLoop()
          .execute(
              () -> {
                UpgradeHandler h = connection.channel().pipeline().get(UpgradeHandler.class);
                if (h != null && h.closeReason == null) {
                  h.closeReason = reason;
                }
                connection.channel().close();
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      connection.channel().close(); // the event loop is shutting down; the channel goes with it
    }
  }

  /**
   * Closes from outside the pipeline without losing what was sent: sends the TCP FIN after the data
   * already flushed and drops whatever still arrives, so that the socket closes with nothing
   * unread. Closing a socket that holds unread bytes (a peer's window updates, say) sends a reset
   * instead, and a reset makes the peer's kernel throw away data it received and its application
   * had not read yet. The peer reads to the FIN and closes; the returned future completes when the
   * channel is closed, by the peer's close or by {@link #close}.
   */
  static CompletableFuture<Void> closeAfterPeerRead(NettyConnection connection, String reason) {
    Channel ch = connection.channel();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ch.closeFuture().addListener(f -> closed.complete(null));
    try {
      ch.eventLoop()
          .execute(
              () -> {
                UpgradeHandler h = ch.pipeline().get(UpgradeHandler.class);
                if (h != null && h.closeReason == null) {
                  h.closeReason = reason;
                }
                if (!(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                  ch.close();
                  return;
                }
                ch.pipeline().addFirst(new DiscardInbound());
                duplex
                    .shutdownOutput()
                    .addListener(
                        f -> {
                          if (!f.isSuccess()) {
                            ch.close();
                          }
                        });
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      ch.close();
    }
    return closed;
  }

  /** Reads and drops what arrives on a connection that is closing. */
  private static final class DiscardInbound extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timeout != null) {
      timeout.cancel(false);
    }
    Direction direction = initiator ? Direction.OUTBOUND : Direction.INBOUND;
    String reason = closeReason == null ? "closed by remote" : closeReason;
    if (phase == Phase.OPEN) {
      boolean wasAnnounced = connection.isAnnounced();
      connection.closed();
      if (wasAnnounced) {
        host.counters().increment(TransportCounter.CONNECTIONS_CLOSED);
        host.events().connectionClosed(remotePeer, direction, reason);
      } else {
        // It won over another connection and closed before that one was gone.
        host.counters().increment(TransportCounter.CONNECTIONS_FAILED);
        host.events()
            .connectionFailed(
                remotePeer, direction, connection.remoteAddress() + " closed early: " + reason);
        if (dialResult != null) {
          dialResult.completeExceptionally(new java.io.IOException("closed early: " + reason));
        }
      }
      host.onClosed(connection, reason);
    } else if (phase == Phase.DUPLICATE) {
      // Journaled as CONNECTION_DUPLICATE when the rule decided; it was never in the table.
    } else if (phase != Phase.CLOSED) {
      if (connection != null) {
        // A listener registers when it accepts the muxer (acceptMuxer): if the channel went away
        // before the connection opened, the table must not keep it, or every later connection to
        // the peer would wait for its close (FOLLOWS) for ever.
        connection.closed();
        host.onClosed(connection, reason);
      }
      host.counters().increment(TransportCounter.CONNECTIONS_FAILED);
      host.events()
          .connectionFailed(remotePeer, direction, ctx.channel().remoteAddress() + " " + reason);
      if (dialResult != null) {
        dialResult.completeExceptionally(new java.io.IOException("upgrade failed: " + reason));
      }
    }
    phase = Phase.CLOSED;
    for (Runnable r : followers) {
      r.run();
    }
    followers.clear();
    super.channelInactive(ctx);
  }
}
