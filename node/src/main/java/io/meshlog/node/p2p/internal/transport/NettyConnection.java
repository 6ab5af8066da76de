package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamOpenException;
import io.meshlog.node.p2p.internal.yamux.YamuxSession;
import io.meshlog.node.p2p.internal.yamux.YamuxStream;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upgraded TCP connection: a channel whose pipeline ends in a {@link YamuxSession}. What
 * identify and ping learn is kept in volatile fields, written on the channel's event loop and read
 * from anywhere.
 */
final class NettyConnection implements Connection {
  private final NettyHost host;
  private final Channel channel;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final Direction direction;
  private final Multiaddr remoteAddress;
  private final Instant openedAt;

  // Streams whose listeners must hear about the connection closing.
  private final Set<MuxedStream> streams = ConcurrentHashMap.newKeySet();
  private volatile String agentVersion;
  private volatile List<String> protocols = List.of();
  private volatile List<Multiaddr> listenAddresses = List.of();
  private volatile byte[] signedPeerRecord; // as identify sent it, not checked here
  private volatile Duration lastRtt;

  // The one-connection-per-pair rule (ConnectionTable): when it was admitted, the connection that
  // replaces this one, and whether this one has been announced to the host's listeners. Inbound
  // streams that arrive before the announcement wait (their bytes stay in Yamux's bounded buffer),
  // so no protocol sees a connection that its listeners were not told of.
  private volatile long registeredNanos;
  private volatile NettyConnection successor;
  private volatile boolean announced;
  private final List<YamuxStream> heldInbound = new java.util.ArrayList<>(); // event loop only
  private final CompletableFuture<Connection> ready = new CompletableFuture<>();

  NettyConnection(
      NettyHost host,
      Channel channel,
      YamuxSession session,
      PeerId remotePeer,
      Direction direction,
      Multiaddr remoteAddress) {
    this.host = host;
    this.channel = channel;
    this.session = session;
    this.remotePeer = remotePeer;
    this.direction = direction;
    this.remoteAddress = remoteAddress;
    this.openedAt = Instant.now();
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public ConnectionInfo info() {
    return new ConnectionInfo(
        remotePeer,
        direction,
        remoteAddress,
        agentVersion,
        protocols,
        listenAddresses,
        lastRtt,
        openedAt,
        session.streamCount());
  }

  @Override
  public CompletableFuture<ProtocolStream> newStream(String protocolId) {
    return newStream(List.of(protocolId));
  }

  @Override
  public CompletableFuture<ProtocolStream> newStream(List<String> protocolIds) {
    if (!channel.isActive()) {
      return CompletableFuture.failedFuture(new StreamOpenException("connection closed"));
    }
    List<String> proposals = List.copyOf(protocolIds);
    return session
        .openStream()
        .thenCompose(yamux -> StreamNegotiation.outbound(yamux, this, proposals));
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.close().addListener(f -> done.complete(null));
    return done;
  }

  void onInboundStream(YamuxStream stream) {
    if (!announced) {
      heldInbound.add(stream);
      return;
    }
    StreamNegotiation.inbound(stream, this);
  }

  /** Marks this connection usable (host.connection finds it now); on the event loop. */
  void markAnnounced() {
    announced = true;
    ready.complete(this);
  }

  /** The listeners were told: inbound streams that waited are negotiated now. On the event loop. */
  void releaseHeldStreams() {
    for (YamuxStream s : heldInbound) {
      StreamNegotiation.inbound(s, this);
    }
    heldInbound.clear();
  }

  boolean isAnnounced() {
    return announced;
  }

  /** Completes when this connection is announced; fails if it closes before. */
  CompletableFuture<Connection> ready() {
    return ready;
  }

  void registered(long nanos) {
    registeredNanos = nanos;
  }

  long registeredNanos() {
    return registeredNanos;
  }

  void supersededBy(NettyConnection next) {
    successor = next;
  }

  /** The connection that won over this one, or null. */
  NettyConnection successor() {
    return successor;
  }

  void track(MuxedStream stream) {
    streams.add(stream);
  }

  void untrack(MuxedStream stream) {
    streams.remove(stream);
  }

  /** The channel closed; on its event loop. Every stream's listener hears a reset. */
  void closed() {
    heldInbound.clear(); // the session resets them
    ready.completeExceptionally(new java.io.IOException("connection closed before it was usable"));
    for (MuxedStream s : streams.toArray(new MuxedStream[0])) {
      s.connectionClosed();
    }
    streams.clear();
  }

  /** What identify (or a push) said; a push without an agent keeps the one known. */
  void identified(
      String agent, List<String> protocols, List<Multiaddr> listenAddresses, byte[] record) {
    if (agent != null) {
      this.agentVersion = agent;
    }
    if (record != null) {
      this.signedPeerRecord = record;
    }
    this.protocols = List.copyOf(protocols);
    this.listenAddresses = List.copyOf(listenAddresses);
  }

  /** The signed peer record the remote sent in identify (unverified envelope bytes), or null. */
  byte[] signedPeerRecord() {
    return signedPeerRecord;
  }

  void rtt(Duration rtt) {
    this.lastRtt = rtt;
  }

  Direction direction() {
    return direction;
  }

  Multiaddr remoteAddress() {
    return remoteAddress;
  }

  Channel channel() {
    return channel;
  }

  YamuxSession session() {
    return session;
  }

  NettyHost host() {
    return host;
  }

  @Override
  public String toString() {
    return direction + " " + remotePeer + " " + remoteAddress;
  }
}
