package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.ConnectionListener;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamHandler;
import io.meshlog.node.p2p.StreamOpenException;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.p2p.internal.identify.IdentifyCodec;
import io.meshlog.node.p2p.internal.identify.IdentifyMessage;
import io.meshlog.node.p2p.internal.identify.IdentifyService;
import io.meshlog.node.p2p.internal.identify.SignedRecordCache;
import io.meshlog.node.p2p.internal.ping.PingService;
import io.meshlog.node.p2p.internal.yamux.YamuxConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Host}: Netty NIO event loops shared by listeners and dials, the protocol handler
 * registry, identify on every new connection and the periodic ping. Who is connected is the {@link
 * ConnectionTable}'s to say; outbound dials are the {@link Dialer}'s. Thread-safe; shared state is
 * in concurrent maps, per-connection state on each channel's event loop.
 */
public final class NettyHost implements Host {
  private static final Logger LOG = LoggerFactory.getLogger(NettyHost.class);
  private static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  private static final long PUSH_DEBOUNCE_MS = 100;

  private final HostConfig config;
  private final Identity identity;
  private final PeerId peerId;
  private final TransportEvents events;
  private final CounterSet<TransportCounter> counters = CounterSet.of(TransportCounter.class);
  private final EventLoopGroup group;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final ConnectionTable connections;
  private final Dialer dialer;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private final SignedRecordCache signedRecords;
  private final AtomicInteger liveChannels = new AtomicInteger();
  private final ByteCountingHandler byteCounter;
  private final IdentifyService identify;
  private final PingService ping;
  private final AtomicBoolean pushScheduled = new AtomicBoolean();
  private volatile boolean closed;

  private NettyHost(HostConfig config, Identity identity, EventSink sink) {
    this.config = config;
    this.identity = identity;
    this.peerId = identity.peerId();
    this.events = new TransportEvents(sink);
    this.group = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("meshlog-io"));
    this.byteCounter = new ByteCountingHandler(counters);
    this.connections =
        new ConnectionTable(peerId, config.maxConnections(), config.handshakeTimeout());
    this.dialer =
        new Dialer(
            group,
            config.dialTimeout(),
            connections,
            events,
            counters,
            (ch, expected, result) -> initUpgrade(ch, true, expected, result));
    this.signedRecords = new SignedRecordCache(identity);
    this.identify = new IdentifyService(this::localIdentify, new IdentifyReceiver());
    this.ping = new PingService(group);
    handlers.put(IDENTIFY, identify.responder());
    handlers.put(IDENTIFY_PUSH, identify.pushReceiver());
    handlers.put(PING, ping.responder());
  }

  /** Starts a host on an already validated config. */
  public static NettyHost start(HostConfig config, Identity identity, EventSink sink) {
    NettyHost host = new NettyHost(config, identity, sink);
    try {
      for (String address : config.listenAddresses()) {
        host.bind(Multiaddr.parse(address));
      }
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    if (!config.pingInterval().isZero()) {
      long ms = config.pingInterval().toMillis();
      host.group.scheduleAtFixedRate(host::pingAll, ms, ms, TimeUnit.MILLISECONDS);
    }
    return host;
  }

  private void bind(Multiaddr address) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initUpgrade(ch, false, null, null);
                  }
                });
    InetSocketAddress requested = address.toSocketAddress();
    ChannelFuture bound = b.bind(requested).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new UncheckedIOException(
          new IOException(
              "cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause()));
    }
    serverChannels.add(bound.channel());
    InetSocketAddress local = (InetSocketAddress) bound.channel().localAddress();
    for (InetSocketAddress reachable : ListenAddresses.of(requested, local)) {
      listenAddresses.add(Multiaddr.of(reachable).withPeerId(peerId));
    }
  }

  private void initUpgrade(
      Channel ch, boolean initiator, PeerId expected, CompletableFuture<Connection> dialResult) {
    boolean full = !initiator && connections.isFull();
    if (liveChannels.incrementAndGet() > config.maxConnections() + config.maxConnections() / 4
        || full
        || closed) {
      // An inbound connection when full is refused before any handshake work. Dials and inbound
      // upgrades in flight get some room beyond maxConnections; past that, refuse at once too.
      counters.increment(TransportCounter.CONNECTIONS_REFUSED);
      events.connectionFailed(
          expected,
          initiator ? Direction.OUTBOUND : Direction.INBOUND,
          ch.remoteAddress() + " refused: too many connections");
      ch.closeFuture().addListener(f -> liveChannels.decrementAndGet());
      if (dialResult != null) {
        dialResult.completeExceptionally(new IOException("too many connections"));
      }
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> liveChannels.decrementAndGet());
    UpgradeHandler upgrade = new UpgradeHandler(this, initiator, expected, dialResult);
    ch.pipeline()
        .addLast("bytes", byteCounter)
        .addLast("security-negotiation", upgrade.firstNegotiation())
        .addLast("upgrade", upgrade);
  }

  // ---- Host

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  @Override
  public CompletableFuture<Connection> dial(Multiaddr address) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("host closed"));
    }
    return dialer.dial(address);
  }

  @Override
  public void handle(String protocolId, StreamHandler handler) {
    if (handlers.put(protocolId, handler) == null
        && !closed
        && pushScheduled.compareAndSet(false, true)) {
      // A new protocol: peers that identified us already would not know (js-libp2p's topologies,
      // gossipsub among them, act on identify only). Several handlers registered together make
      // one push, as js-libp2p debounces its own.
      group.schedule(this::pushIdentify, PUSH_DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void pushIdentify() {
    pushScheduled.set(false);
    for (NettyConnection c : connections.all()) {
      identify.push(c).exceptionally(e -> null);
    }
  }

  @Override
  public CompletableFuture<ProtocolStream> newStream(PeerId peer, String protocolId) {
    return newStream(peer, List.of(protocolId));
  }

  @Override
  public CompletableFuture<ProtocolStream> newStream(PeerId peer, List<String> protocolIds) {
    return connection(peer)
        .map(c -> c.newStream(protocolIds))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new StreamOpenException("not connected to " + peer)));
  }

  @Override
  public Optional<Connection> connection(PeerId peer) {
    return connections.open(peer).map(Connection.class::cast);
  }

  @Override
  public byte[] signedPeerRecord(PeerId peer) {
    return connections.open(peer).map(NettyConnection::signedPeerRecord).orElse(null);
  }

  @Override
  public List<ConnectionInfo> connections() {
    List<ConnectionInfo> infos = new ArrayList<>();
    for (NettyConnection c : connections.all()) {
      infos.add(c.info());
    }
    return infos;
  }

  @Override
  public CompletableFuture<Duration> ping(PeerId peer) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("host closed"));
    }
    Optional<Connection> c = connection(peer);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new StreamOpenException("not connected to " + peer));
    }
    return pingConnection((NettyConnection) c.get());
  }

  private CompletableFuture<Duration> pingConnection(NettyConnection c) {
    return ping.ping(c, config.pingTimeout())
        .whenComplete(
            (rtt, e) -> {
              if (e == null) {
                counters.increment(TransportCounter.PINGS_SENT);
                c.rtt(rtt);
                events.pingRtt(c.remotePeer(), rtt.toNanos());
              } else {
                counters.increment(TransportCounter.PINGS_FAILED);
              }
            });
  }

  private void pingAll() {
    try {
      for (NettyConnection c : connections.all()) {
        if (c.isOpen()) {
          pingConnection(c);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("periodic ping round failed", e);
    }
  }

  @Override
  public CompletableFuture<Void> disconnect(PeerId peer) {
    List<NettyConnection> list = connections.of(peer);
    if (list.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (NettyConnection c : list) {
      UpgradeHandler.close(c, "disconnected locally");
      closing.add(c.close());
    }
    return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public long counter(TransportCounter counter) {
    return counters.get(counter);
  }

  /**
   * Closes cleanly: no new connections, then what the streams had written goes out (a node's last
   * gossip may sit behind a large backlog to the same peer), then every connection half-closes
   * (FIN) and the host waits for the peer to close after reading it all: closing first, with the
   * peer's bytes unread, would reset the connection and lose the tail. Both waits together take at
   * most {@code host.closeGrace}, so a peer that stopped reading does not hold up a node's stop;
   * connections whose writes did not all leave by then close at once, with a log line and that said
   * in their CONNECTION_CLOSED reason.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel ch : serverChannels) {
      ch.close().awaitUninterruptibly();
    }
    long grace = config.closeGrace().toNanos();
    long deadline = System.nanoTime() + grace;
    List<NettyConnection> open = connections.all();
    List<NettyConnection> unsent = grace == 0 ? open : sendWhatWasWritten(open, deadline);
    if (!unsent.isEmpty() && grace > 0) {
      LOG.warn(
          "host closed with writes still unsent to {} of {} connections after {} ms: {}",
          unsent.size(),
          open.size(),
          config.closeGrace().toMillis(),
          unsent);
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>(open.size());
    for (NettyConnection c : open) {
      if (grace == 0) {
        UpgradeHandler.close(c, "host closed");
      } else if (unsent.contains(c)) {
        UpgradeHandler.close(
            c, "host closed, writes unsent after " + config.closeGrace().toMillis() + " ms");
      } else {
        closing.add(UpgradeHandler.closeAfterPeerRead(c, "host closed"));
      }
    }
    awaitPeersClosing(closing, deadline);
    for (NettyConnection c : open) {
      UpgradeHandler.close(c, "host closed"); // a peer that did not close after our FIN
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  /** Waits, up to {@code deadline}, for the peers to close after reading to our FIN. */
  private void awaitPeersClosing(List<CompletableFuture<Void>> closing, long deadline) {
    if (closing.isEmpty() || onIoThread()) {
      return;
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // the rest close now, on our side
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean onIoThread() {
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits, up to {@code deadline}, until what each connection's streams had written went to its
   * socket: first out of Yamux (data waiting for the peer's window too), then out of the channel.
   *
   * @return the connections whose writes had not all left in time
   */
  private List<NettyConnection> sendWhatWasWritten(List<NettyConnection> open, long deadline) {
    if (open.isEmpty()) {
      return List.of();
    }
    if (onIoThread()) {
      // Closed from an I/O thread (a callback): waiting here would stall the very loop that
      // sends, so close at once.
      LOG.warn("host closed from an I/O thread: writes still queued are not waited for");
      return List.of();
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>(open.size());
    for (NettyConnection c : open) {
      sent.add(c.session().whenStreamsWritten().thenCompose(v -> flushChannel(c.channel())));
    }
    try {
      CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // reported below, per connection
    } catch (ExecutionException e) {
      LOG.warn("waiting for writes to leave before the close failed; closing now", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<NettyConnection> unsent = new ArrayList<>();
    for (int i = 0; i < open.size(); i++) {
      if (!sent.get(i).isDone()) {
        unsent.add(open.get(i));
      }
    }
    return unsent;
  }

  /**
   * Completes once the channel wrote to its socket everything its handlers hold now, or closed: an
   * empty write at the head of the pipeline completes after everything written before it. Never
   * fails.
   */
  private static CompletableFuture<Void> flushChannel(Channel ch) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable barrier =
        () -> {
          ChannelHandlerContext head = ch.pipeline().firstContext();
          if (head == null || !ch.isActive()) {
            done.complete(null);
          } else {
            // A flush through the whole pipeline first: Noise encrypts what it holds only then.
            ch.flush();
            head.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> done.complete(null));
          }
        };
    if (ch.eventLoop().inEventLoop()) {
      barrier.run();
    } else {
      try {
        ch.eventLoop().execute(barrier);
      } catch (RejectedExecutionException e) {
        done.complete(null); // the loop is shutting down and the channel with it
      }
    }
    return done;
  }

  // ---- for the rest of the package

  HostConfig config() {
    return config;
  }

  Identity identity() {
    return identity;
  }

  TransportEvents events() {
    return events;
  }

  CounterSet<TransportCounter> counters() {
    return counters;
  }

  YamuxConfig yamuxConfig() {
    return YamuxSettings.from(config);
  }

  boolean supports(String protocolId) {
    return handlers.containsKey(protocolId);
  }

  StreamHandler handler(String protocolId) {
    return handlers.get(protocolId);
  }

  /** Admits an upgraded connection under the table's rules. */
  ConnectionTable.Admission register(NettyConnection c) {
    if (closed) {
      return new ConnectionTable.Admission(ConnectionTable.Verdict.REFUSED, null, "host closed");
    }
    return connections.add(c);
  }

  void onOpened(NettyConnection c) {
    identify
        .identify(c)
        .exceptionally(
            e -> {
              LOG.debug("identify of {} failed: {}", c.remotePeer(), e.toString());
              return null;
            });
    for (ConnectionListener l : listeners) {
      try {
        l.onOpened(c);
      } catch (RuntimeException e) {
        LOG.warn("connection listener failed", e);
      }
    }
  }

  void onClosed(NettyConnection c, String reason) {
    connections.remove(c);
    if (c.isAnnounced()) {
      for (ConnectionListener l : listeners) {
        try {
          l.onClosed(c, reason);
        } catch (RuntimeException e) {
          LOG.warn("connection listener failed", e);
        }
      }
    }
    NettyConnection next = c.successor(); // read after remove: the table set it under its lock
    if (next != null) {
      UpgradeHandler.announceLater(next);
    }
  }

  private IdentifyMessage localIdentify() {
    List<byte[]> addrs = new ArrayList<>();
    for (Multiaddr a : listenAddresses) {
      addrs.add(a.withoutPeerId().bytes());
    }
    return new IdentifyMessage(
        PROTOCOL_VERSION,
        config.agentVersion(),
        identity.publicKeyProtobuf(),
        addrs,
        null,
        List.copyOf(handlers.keySet()),
        signedRecords.envelopeFor(listenAddresses));
  }

  private final class IdentifyReceiver implements IdentifyService.Receiver {
    @Override
    public void identified(Connection connection, IdentifyMessage message, byte[] raw) {
      List<Multiaddr> addrs = new ArrayList<>();
      for (byte[] bytes : message.listenAddrs()) {
        try {
          addrs.add(Multiaddr.fromBytes(bytes));
        } catch (RuntimeException e) {
          // An address we cannot read (a transport we lack, e.g. /webrtc) is not an error.
        }
      }
      ((NettyConnection) connection)
          .identified(
              message.agentVersion(), message.protocols(), addrs, message.signedPeerRecord());
      counters.increment(TransportCounter.IDENTIFY_RECEIVED);
      events.identifyReceived(connection.remotePeer(), IdentifyCodec.summary(message), raw);
    }

    @Override
    public void rejected(Connection connection, String reason) {
      counters.increment(TransportCounter.REJECTED_IDENTIFY);
      events.inputRejected(connection.remotePeer(), "identify", reason);
    }
  }
}
