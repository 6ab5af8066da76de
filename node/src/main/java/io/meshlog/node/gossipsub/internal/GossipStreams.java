package io.meshlog.node.gossipsub.internal;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.EventSink;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipTransport;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.GraylistState;
import io.meshlog.node.gossipsub.MessageHandler;
import io.meshlog.node.gossipsub.MessageSigner;
import io.meshlog.node.gossipsub.PeerExchangeListener;
import io.meshlog.node.gossipsub.SignedMessage;
import io.meshlog.node.gossipsub.SyncVerdict;
import io.meshlog.node.gossipsub.TopicValidator;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionListener;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The {@link Gossipsub} of a {@link Host}: a {@link RouterLoop} bound to the host's streams. It
 * serves the gossip protocols, opens one outbound gossip stream per connected peer, and carries
 * RPCs between the streams and the router; the {@link Gossipsub} calls go to the router.
 *
 * <pre>
 *  connection opened ──► open outbound stream (/meshsub/1.2.0, 1.1.0, 1.0.0, /floodsub/1.0.0,
 *                         first the peer takes) ──► router.addPeer(protocol)
 *  inbound gossip stream ──► varint-framed RPCs (maxRpcSize) ──► router.onRpc
 *  router ──► GossipTransport.send ──► outbound stream.writeMessage (bounded pending bytes)
 *  outbound stream reset / connection closed ──► router.removePeer
 * </pre>
 *
 * <p>As js-libp2p does, each side writes only on the stream it opened and reads the other's. RPCs
 * to a peer whose queued bytes exceed {@code maxPendingBytesPerPeer} are dropped (journaled as
 * DROP_RPC by the router). Peers offered by peer exchange are not dialled: the host has no address
 * book yet.
 *
 * <p>Thread-safe. Stream callbacks run on I/O threads and only enqueue into the router.
 */
public final class GossipStreams implements Gossipsub {
  /** The protocols offered, in order of preference (as js proposes them). */
  public static final List<String> PROTOCOLS =
      List.of(
          GossipRouter.MESHSUB_V12,
          GossipRouter.MESHSUB_V11,
          GossipRouter.MESHSUB_V10,
          GossipRouter.FLOODSUB);

  /** Bytes of RPCs held per peer until our own stream to it is open. */
  private static final long MAX_EARLY_BYTES = 1L << 20;

  private static final class Link {
    final PeerId key;
    volatile ProtocolStream outbound;
    final AtomicLong pendingBytes = new AtomicLong();
    volatile boolean added;

    /**
     * True while an outbound stream is being negotiated. One attempt at a time: a second stream
     * that we then reset looks to js like the peer leaving, and js drops our subscriptions.
     */
    boolean opening;

    /**
     * RPCs read from the peer's stream before ours to it was open, so before the router knows the
     * peer (its first RPC carries its subscriptions: losing it would leave us publishing to no
     * one). Bounded by {@link #MAX_EARLY_BYTES}. Guarded by {@code this}.
     */
    final List<byte[]> early = new ArrayList<>();

    long earlyBytes;

    Link(PeerId key) {
      this.key = key;
    }
  }

  private final Host host;
  private final RouterLoop gossipsub;
  private final long maxPendingBytes;
  private final Map<PeerId, Link> links = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile PeerExchangeListener peerExchange;

  private GossipStreams(
      Host host,
      Identity identity,
      GossipsubConfig config,
      MessageHandler handler,
      EventSink sink,
      long maxPendingBytes,
      ToDoubleFunction<PeerId> appScore) {
    this.host = host;
    this.maxPendingBytes = maxPendingBytes;
    this.gossipsub =
        new RouterLoop(config, signerOf(identity), new StreamTransport(), handler, sink, appScore);
  }

  /**
   * Starts gossipsub on {@code host}: registers the protocol handlers, starts the router thread and
   * opens gossip streams to every connection, present and future. Callers start it through {@code
   * io.meshlog.node.gossipsub.factory.Gossipsubs#start}.
   *
   * @param appScore P5, the application's score of a peer; called on the router thread
   * @throws IllegalArgumentException when the configuration is invalid (naming the key)
   */
  public static Gossipsub start(
      Host host,
      Identity identity,
      GossipsubConfig config,
      MessageHandler handler,
      EventSink sink,
      long maxPendingBytesPerPeer,
      ToDoubleFunction<PeerId> appScore) {
    GossipStreams s =
        new GossipStreams(host, identity, config, handler, sink, maxPendingBytesPerPeer, appScore);
    s.gossipsub.start();
    for (String protocol : PROTOCOLS) {
      host.handle(protocol, s::onInboundStream);
    }
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onOpened(Connection connection) {
            s.openOutbound(connection);
          }

          @Override
          public void onClosed(Connection connection, String reason) {
            s.peerGone(connection.remotePeer());
          }
        });
    for (var info : host.connections()) {
      host.connection(info.peer()).ifPresent(c -> s.openOutbound(c));
    }
    return s;
  }

  @Override
  public CompletableFuture<byte[]> publish(String topic, byte[] data) {
    return gossipsub.publish(topic, data);
  }

  @Override
  public void subscribe(String topic) {
    gossipsub.subscribe(topic);
  }

  @Override
  public CompletableFuture<List<SyncVerdict>> deliverSynced(
      PeerId source, List<SignedMessage> messages, List<byte[]> claimedIds) {
    return gossipsub.deliverSynced(source, messages, claimedIds);
  }

  @Override
  public void rejectSynced(PeerId source, String topic, byte[] messageId, String reason) {
    gossipsub.rejectSynced(source, topic, messageId, reason);
  }

  @Override
  public void unsubscribe(String topic) {
    gossipsub.unsubscribe(topic);
  }

  @Override
  public void validator(String topic, TopicValidator validator) {
    gossipsub.validator(topic, validator);
  }

  @Override
  public void reconfigure(GossipsubConfig next) {
    gossipsub.reconfigure(next);
  }

  @Override
  public CompletableFuture<Set<PeerId>> meshPeers(String topic) {
    return gossipsub.meshPeers(topic);
  }

  @Override
  public CompletableFuture<Set<PeerId>> topicPeers(String topic) {
    return gossipsub.topicPeers(topic);
  }

  @Override
  public CompletableFuture<Double> score(PeerId peer) {
    return gossipsub.score(peer);
  }

  @Override
  public CompletableFuture<Map<PeerId, GraylistState>> graylisted() {
    return gossipsub.graylisted();
  }

  @Override
  public long counter(GossipCounter c) {
    return gossipsub.counter(c);
  }

  @Override
  public GossipsubConfig config() {
    return gossipsub.config();
  }

  /**
   * Stops the router and closes the gossip streams for writing: what the router had sent still goes
   * out ahead of the FIN (a host closed next waits for it, see {@link
   * io.meshlog.node.p2p.Host#close()}), where a reset would discard a node's last messages. The
   * host keeps running.
   */
  @Override
  public void close() {
    closed = true;
    gossipsub.close();
    for (Link l : links.values()) {
      ProtocolStream s = l.outbound;
      if (s != null) {
        s.closeWrite();
      }
    }
    links.clear();
  }

  private static MessageSigner signerOf(Identity identity) {
    return new MessageSigner() {
      @Override
      public byte[] peerId() {
        return identity.peerId().bytes();
      }

      @Override
      public byte[] publicKeyProtobuf() {
        return identity.publicKeyProtobuf();
      }

      @Override
      public byte[] sign(byte[] data) {
        return identity.sign(data);
      }
    };
  }

  private Link link(PeerId peer) {
    return links.computeIfAbsent(peer, Link::new);
  }

  /** Opens our gossip stream to the peer unless it is open or being opened already. */
  private void openOutbound(Connection connection) {
    Link l = link(connection.remotePeer());
    synchronized (l) {
      if (closed || l.outbound != null || l.opening) {
        return;
      }
      l.opening = true;
    }
    tryProtocol(connection, l, 0);
  }

  /** Tries the protocols in order until the peer accepts one. */
  private void tryProtocol(Connection connection, Link l, int index) {
    if (closed || index >= PROTOCOLS.size() || !connection.isOpen()) {
      synchronized (l) {
        l.opening = false;
      }
      return;
    }
    connection
        .newStream(PROTOCOLS.get(index))
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                tryProtocol(connection, l, index + 1);
              } else {
                outboundOpened(connection, l, stream);
              }
            });
  }

  private void outboundOpened(Connection connection, Link l, ProtocolStream stream) {
    // Whatever the peer might send on our stream is read as RPCs too; js sends nothing there.
    stream.setMessageListener(gossipsub.config().maxRpcSize(), new Reader(l.key, true));
    var info = connection.info();
    String ip = info.remoteAddress() == null ? null : info.remoteAddress().host();
    synchronized (l) {
      l.opening = false;
      if (closed || l.outbound != null || !connection.isOpen()) {
        stream.reset(); // the service closed or the peer went away while we negotiated
        return;
      }
      l.outbound = stream;
      // Added under the lock: an RPC read after this point goes to the router behind the peer.
      gossipsub.addPeer(
          l.key,
          stream.protocolId(),
          info.direction() == Direction.OUTBOUND,
          ip,
          List.copyOf(l.early));
      l.early.clear();
      l.added = true;
    }
  }

  private void onInboundStream(ProtocolStream stream) {
    Link l = link(stream.remotePeer());
    stream.setMessageListener(gossipsub.config().maxRpcSize(), new Reader(l.key, false));
    if (l.outbound == null) {
      // The peer reached us first (js opens its stream on identify): answer with ours.
      host.connection(stream.remotePeer()).ifPresent(c -> openOutbound(c));
    }
  }

  private void peerGone(PeerId peer) {
    Link l = links.remove(peer);
    if (l != null && l.added) {
      gossipsub.removePeer(l.key);
    }
  }

  /** Reads RPCs from one stream into the router. */
  private final class Reader implements MessageListener {
    private final PeerId key;
    private final boolean outbound;

    Reader(PeerId key, boolean outbound) {
      this.key = key;
      this.outbound = outbound;
    }

    @Override
    public void onMessage(ProtocolStream stream, byte[] message) {
      Link l = links.get(key);
      if (l != null && !l.added) {
        synchronized (l) {
          if (!l.added) {
            if (l.earlyBytes + message.length <= MAX_EARLY_BYTES) {
              l.early.add(message);
              l.earlyBytes += message.length;
            } else {
              gossipsub.earlyRpcDropped();
            }
            return;
          }
        }
      }
      gossipsub.onRpc(key, message);
    }

    @Override
    public void onReset(ProtocolStream stream) {
      if (outbound) {
        Link l = links.get(key);
        if (l != null && l.outbound == stream) {
          peerGone(stream.remotePeer());
        }
      }
    }
  }

  @Override
  public void onPeerExchange(PeerExchangeListener listener) {
    this.peerExchange = listener;
  }

  /** The router's way out: the peer's outbound stream, with a bound on queued bytes. */
  private final class StreamTransport implements GossipTransport {
    @Override
    public void connect(PeerId peer, PeerId from, byte[] signedPeerRecord) {
      PeerExchangeListener l = peerExchange;
      if (l != null && signedPeerRecord != null && !closed) {
        l.offered(peer, from, signedPeerRecord);
      }
    }

    @Override
    public byte[] signedPeerRecord(PeerId peer) {
      return host.signedPeerRecord(peer);
    }

    @Override
    public boolean send(PeerId peer, byte[] rpc) {
      Link l = links.get(peer);
      ProtocolStream s = l == null ? null : l.outbound;
      if (s == null || !s.isOpen()) {
        return false;
      }
      long size = rpc.length;
      if (l.pendingBytes.addAndGet(size) > maxPendingBytes) {
        l.pendingBytes.addAndGet(-size);
        return false;
      }
      s.writeMessage(rpc).whenComplete((v, e) -> l.pendingBytes.addAndGet(-size));
      return true;
    }
  }
}
