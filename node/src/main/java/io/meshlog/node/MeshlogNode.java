package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.kafka.KafkaShipper;
import io.meshlog.node.discovery.DirectoryService;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.discovery.DiscoveryListener;
import io.meshlog.node.discovery.PeerDiscovery;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.Reconnector;
import io.meshlog.node.discovery.TopicMesh;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionListener;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.factory.Hosts;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.node.sync.SyncClient;
import io.meshlog.node.sync.SyncCounter;
import io.meshlog.node.sync.SyncServer;
import io.meshlog.reconciliation.LamportClock;
import io.meshlog.reconciliation.MessageEnvelope;
import io.meshlog.reconciliation.order.ClockBound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running meshlog node: identity, event log, libp2p host and gossipsub router, composed.
 *
 * <pre>
 *   identity.key ─► Identity
 *   journal/ + projections/ ─► EventLog: Journal ─(gates)─► Projections, extra handlers
 *                                 ▲ sink
 *   Host (listen, dial) ──────────┤
 *   Gossipsub ─────────────┘   publish: envelope(Lamport tick) ─► router
 *   PeerDialer: redials configured peers (and directories) with backoff, forever
 *   DirectoryService (role directory): serves /rendezvous/1.0.0, rebuilt from the journal
 *   PeerDiscovery (with directories): registers the topics, discovers and dials their peers
 *   SyncServer: serves /meshlog/sync/1.0.0 from the journal; SyncClient: on each connection and
 *     on gaps in live gossip, fetches what this node lacks (docs/sync.md)
 *   Reconnector: the peer registry (a fold of the journal, stored); redials dropped mesh peers
 * </pre>
 *
 * <p>Every message this node publishes is wrapped in a {@link MessageEnvelope} stamped with a
 * {@link LamportClock} tick and the wall time; every message received advances the clock. The
 * router's PUBLISH_MESSAGE and DELIVER_MESSAGE journal records carry the envelope's Lamport time
 * (and, on delivery, its publish time in {@code value}). NODE_STARTED and NODE_STOPPED bracket a
 * run in the journal.
 *
 * <p>Thread-safe. {@link #close()} stops dialling and traffic, closes the router and the host,
 * journals NODE_STOPPED, then drains and closes the journal and the projections.
 */
public final class MeshlogNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeshlogNode.class);

  private final NodeConfig config;
  private final Identity identity;
  private final EventLog eventLog;
  private final Host host;
  private final Gossipsub gossip;
  private final EnvelopeFacts envelopes;
  private final PeerDialer dialer;
  private final ChatDriver chat;
  private final DirectoryService directory;
  private final PeerDiscovery discovery;
  private final TopicOrders orders = new TopicOrders();
  private LamportBound lamportBound;
  private final SequencerRole sequencer;
  private final SequencerClient sequencerClient;
  private final Reconnector reconnects;
  private volatile DiscoveryListener discovered = DiscoveryListener.NONE;
  private final LamportClock clock;
  private final OriginSequences originSequences;
  private final LongAdder published = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder plain = new LongAdder();
  private final Instant startedAt = Instant.now();
  private volatile NodeMessageListener listener = (topic, origin, envelope) -> {};
  private volatile boolean closed;
  private final CounterSet<ExportCounter> exportCounters = CounterSet.of(ExportCounter.class);
  private final KafkaShipper.Running shipper;
  private final CounterSet<SyncCounter> syncCounters = CounterSet.of(SyncCounter.class);
  private final SyncServer syncServer;
  private final SyncClient syncClient;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();

  /**
   * The peers this node was told to keep (configured peers and directories, and those added at run
   * time): gossipsub scores them {@code discovery.trustedPeerScore} (P5), so that the peer exchange
   * of a well-known peer is followed from its first PRUNE, before it could earn a score.
   */
  private final Set<PeerId> trusted = ConcurrentHashMap.newKeySet();

  private final HeldPeerExchange peerExchange = new HeldPeerExchange();

  private final OfflineQueue offline;

  private MeshlogNode(
      NodeConfig config, List<? extends JournaledEventHandler> handlers, EnvelopeFacts envelopes) {
    this.config = config;
    this.envelopes = envelopes;
    this.identity = Identity.loadOrCreate(config.identityFile());
    List<AutoCloseable> opened = new ArrayList<>();
    DiscoveryConfig role = config.discovery();
    this.sequencer =
        role.role() == DiscoveryConfig.Role.DIRECTORY
            ? new SequencerRole(identity, config.reconciliation(), MeshlogNode::nowNanos)
            : null;
    List<JournaledEventHandler> all = new ArrayList<>(handlers);
    all.add(orders);
    if (sequencer != null) {
      all.add(sequencer);
    }
    try {
      this.eventLog = EventLog.open(config.dataDir(), config.journal(), config.projections(), all);
      opened.add(eventLog);
      opened.add(0, orders);
      orders.sink(eventLog.sink());
      try (var reader = eventLog.journal().reader()) {
        orders.rebuild(reader);
      }
      this.clock = new LamportClock(ClockRecovery.lastLamport(eventLog.journal()));
      byte[] self = identity.peerId().bytes();
      this.originSequences =
          new OriginSequences(topic -> eventLog.projections().lastOriginSequence(topic, self));
      journalNodeEvent(EventType.NODE_STARTED, config.host().agentVersion());
      this.shipper =
          config.export().enabled()
              ? KafkaShipper.start(
                  config.dataDir(), config.export(), identity.peerId().bytes(), exportCounters)
              : null;
      if (shipper != null) {
        opened.add(shipper);
      }
      this.host = Hosts.start(config.host(), identity, eventLog.sink());
      opened.add(0, host);
      this.gossip =
          Gossipsubs.start(
              host,
              identity,
              config.gossipsub().toBuilder().envelopeInspector(envelopes).build(),
              this::onGossip,
              eventLog.sink(),
              Gossipsubs.DEFAULT_MAX_PENDING_BYTES,
              trustedScore(config.discovery().trustedPeerScore()));
      opened.add(0, gossip);
      gossip.onPeerExchange(peerExchange);
      this.lamportBound =
          new LamportBound(
              new ClockBound(config.reconciliation().maxLamportJump()),
              orders::highestConfirmedLamport);
      for (String topic : config.topics()) {
        gossip.validator(topic, lamportBound);
        gossip.subscribe(topic);
        topics.add(topic);
      }
      if (config.sync().enabled()) {
        this.syncServer =
            new SyncServer(
                config.sync(),
                eventLog.journal(),
                eventLog.projections(),
                syncCounters,
                eventLog.sink(),
                System::nanoTime,
                MeshlogNode::nowNanos);
        opened.add(0, syncServer);
        host.handle(SyncClient.PROTOCOL, syncServer::handle);
        this.syncClient =
            new SyncClient(
                config.sync(),
                host,
                gossip,
                eventLog.projections(),
                eventLog.sink(),
                syncCounters,
                self,
                () -> topics,
                MeshlogNode::nowNanos);
        opened.add(0, syncClient);
        orders.onFinalGap(syncClient::lacking);
        host.addConnectionListener(
            new ConnectionListener() {
              @Override
              public void onOpened(Connection connection) {
                syncClient.connected(connection.remotePeer());
              }
            });
      } else {
        this.syncServer = null;
        this.syncClient = null;
      }
      this.offline =
          new OfflineQueue(
              gossip, eventLog.sink(), eventLog.journal(), self, MeshlogNode::nowNanos);
      opened.add(0, offline);
      this.dialer = new PeerDialer(host, config.dialBackoffMin(), config.dialBackoffMax());
      opened.add(0, dialer);
      for (String peer : config.peers()) {
        Multiaddr address = Multiaddr.parse(peer);
        address.peerId().ifPresent(trusted::add); // before its first PRUNE can arrive
        dialer.keep(address);
      }
      DiscoveryConfig configured = config.discovery();
      // The peer registry (a fold of this journal, stored beside the projections) redials mesh
      // peers, and remembers the directories and peers of earlier runs for a start without
      // --peer or --directory, also once retention has deleted the records that taught it them.
      this.reconnects =
          Reconnector.start(
              host,
              configured,
              eventLog.sink(),
              () -> eventLog.journal().reader(),
              eventLog.projections().peerRegistry(),
              new GossipMesh(),
              config.topics(),
              config.peers().stream().map(Multiaddr::parse).toList(),
              configured.directoryAddresses(),
              MeshlogNode::nowNanos);
      opened.add(0, reconnects);
      // Peer exchange: the peers a pruning peer offers are dialled, so a star becomes a mesh;
      // offers that came while the registry was being read are handed on now.
      peerExchange.deliverTo(reconnects::peerExchange);
      DiscoveryConfig dc =
          configured.directories().isEmpty() && configured.role() == DiscoveryConfig.Role.PEER
              ? configured.toBuilder()
                  .directories(
                      reconnects.rememberedDirectories().stream().map(Multiaddr::toString).toList())
                  .build()
              : configured;
      this.directory =
          dc.role() == DiscoveryConfig.Role.DIRECTORY
              ? DirectoryService.start(
                  host, dc, eventLog.sink(), eventLog.journal().reader(), MeshlogNode::nowNanos)
              : null;
      if (directory != null) {
        opened.add(0, directory);
        opened.add(0, sequencer);
        try (var reader = eventLog.journal().reader()) {
          sequencer.start(eventLog.sink(), reader, gossip, directory::topics, lamportBound);
        }
      }
      this.discovery =
          dc.directories().isEmpty()
              ? null
              : PeerDiscovery.start(
                  host,
                  identity,
                  dc,
                  eventLog.sink(),
                  new GossipMesh(),
                  (d, topic, record) -> {
                    reconnects.discovered(record, PeerRegistry.Source.DIRECTORY);
                    discovered.discovered(d, topic, record);
                  },
                  config.topics(),
                  MeshlogNode::nowNanos);
      if (discovery != null) {
        opened.add(0, discovery);
        reconnects.useDiscovery(discovery);
      }
      for (Multiaddr d : dc.directoryAddresses()) {
        dialer.keep(d);
        reconnects.keptByNode(d.peerId().orElseThrow());
        trusted.add(d.peerId().orElseThrow());
      }
      this.sequencerClient =
          dc.directoryAddresses().isEmpty()
              ? null
              : new SequencerClient(
                  dc.directoryAddresses().stream().map(a -> a.peerId().orElseThrow()).toList(),
                  eventLog.sink(),
                  gossip,
                  orders,
                  config.reconciliation(),
                  MeshlogNode::nowNanos);
      if (sequencerClient != null) {
        opened.add(0, sequencerClient);
      }
      this.chat =
          config.chatRate() > 0 && !config.topics().isEmpty()
              ? new ChatDriver(
                  config.chatRate(),
                  config.topics(),
                  identity.peerId().toBase58().substring(0, 12),
                  topic -> readyToChat(topic, config.chatMinPeers()),
                  (topic, payload) -> publish(topic, payload))
              : null;
    } catch (RuntimeException | Error e) {
      closeAll(opened, e);
      throw e;
    }
  }

  /** Starts a node with no handlers beyond the projections. */
  public static MeshlogNode start(NodeConfig config) {
    return start(config, List.of());
  }

  /**
   * Validates {@code config}, opens (or creates) the identity, journal and projections in its data
   * directory, catches the projections up, binds the listen addresses, starts gossip, joins the
   * configured topics and starts dialling the configured peers. Blocks until listening.
   *
   * @param handlers further journal consumers (JMX live state, say), each on its own thread
   * @throws IllegalArgumentException when the config is invalid, naming the key
   * @throws RuntimeException when a part cannot start (the journal or an address); whatever was
   *     started is closed again
   */
  public static MeshlogNode start(
      NodeConfig config, List<? extends JournaledEventHandler> handlers) {
    return start(config, handlers, new EnvelopeFacts());
  }

  /** As {@link #start(NodeConfig, List)}, reading envelopes with {@code envelopes}. */
  static MeshlogNode start(
      NodeConfig config, List<? extends JournaledEventHandler> handlers, EnvelopeFacts envelopes) {
    return new MeshlogNode(config.validate(), handlers, envelopes);
  }

  private void onGossip(PeerId forwarder, GossipMessage m) {
    byte[] data = m.data() == null ? new byte[0] : m.data();
    if (SequencerWire.CONFIRM_TOPIC.equals(m.topic())) {
      if (sequencerClient != null) {
        sequencerClient.confirmation(data);
      }
      if (sequencer != null) {
        sequencer.confirmedElsewhere(data);
      }
      return;
    }
    if (SequencerWire.SUBMIT_TOPIC.equals(m.topic())) {
      if (sequencer != null) {
        SequencerWire.decodeSubmit(data).ifPresent(sequencer::submitted);
      }
      return;
    }
    MessageEnvelope envelope = envelopes.delivered(data); // decoded as the delivery was journaled
    received.increment();
    if (envelope.isEnveloped()) {
      clock.witness(envelope.lamport());
      if (syncClient != null) {
        syncClient.observed(forwarder, m.topic(), m.from(), envelope.originSequence());
      }
    } else {
      plain.increment();
    }
    listener.onMessage(m.topic(), m.from(), envelope);
  }

  /** Whether messages published on {@code topic} wait for a peer ({@link OfflineQueue}). */
  public boolean holdsPending(String topic) {
    return offline.hasPending(topic);
  }

  /**
   * Publishes {@code payload} on {@code topic} in a fresh envelope (a Lamport tick, the wall time,
   * this node's next sequence in the topic, see {@link OriginSequences}). Completes with the
   * message id, or exceptionally when the router refuses (a message too large, say). With no peer
   * connected (or with earlier messages of the topic still waiting) the message is journaled as
   * pending and sent once a peer is subscribed to the topic ({@link OfflineQueue}); the future then
   * completes when it is sent.
   */
  public CompletableFuture<byte[]> publish(String topic, byte[] payload) {
    Instant now = Instant.now();
    MessageEnvelope envelope =
        new MessageEnvelope(
            clock.tick(),
            now.getEpochSecond() * 1_000_000_000L + now.getNano(),
            originSequences.next(topic),
            payload);
    published.increment();
    if (host.connections().isEmpty() || offline.hasPending(topic)) {
      return offline.hold(topic, envelope.lamport(), envelope.originSequence(), envelope.encode());
    }
    return gossip.publish(topic, envelope.encode());
  }

  /**
   * Whether a chat line on {@code topic} would be heard: at least {@code minPeers} peers are
   * subscribed to it and one is in its mesh. Asks the router thread, waits up to 1 s per question.
   */
  private boolean readyToChat(String topic, int minPeers) {
    try {
      return gossip.topicPeers(topic).get(1, TimeUnit.SECONDS).size() >= minPeers
          && !gossip.meshPeers(topic).get(1, TimeUnit.SECONDS).isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** The gossip mesh as discovery sees it: mesh sizes asked of the router, D_lo from its config. */
  private final class GossipMesh implements TopicMesh {
    @Override
    public int meshPeers(String topic) {
      try {
        return gossip.meshPeers(topic).get(1, TimeUnit.SECONDS).size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      } catch (ExecutionException | TimeoutException e) {
        return -1;
      }
    }

    @Override
    public int lowWatermark() {
      return config.gossipsub().dLo();
    }

    @Override
    public java.util.Set<PeerId> meshMembers(String topic) {
      try {
        return gossip.meshPeers(topic).get(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return java.util.Set.of();
      } catch (ExecutionException | TimeoutException e) {
        return java.util.Set.of();
      }
    }
  }

  /** The directory role's service, when this node is a directory. */
  public Optional<DirectoryService> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * Whether a configured directory is reachable as sequencer; always true on a directory itself,
   * false on a node without directories.
   */
  public boolean sequencerReachable() {
    return sequencer != null || (sequencerClient != null && sequencerClient.reachable());
  }

  /** This node's order of {@code topic}: final rows by (epoch, seq), then provisional ones. */
  public List<io.meshlog.reconciliation.order.OrderRow> order(String topic) {
    return orders.rows(topic);
  }

  /** Per-topic order figures: last final seq, epoch, unconfirmed, oldest, reorders. */
  public List<TopicOrderStats> orderStats() {
    return orders.stats().stream().map(MeshlogNode::orderStats).toList();
  }

  /** One topic's order figures, empty when this node keeps no order of it. */
  public Optional<TopicOrderStats> orderStats(String topic) {
    return orders.stats(topic).map(MeshlogNode::orderStats);
  }

  private static TopicOrderStats orderStats(TopicOrders.Stats s) {
    return new TopicOrderStats(
        s.topic(),
        s.lastFinalSeq(),
        s.epoch(),
        s.unconfirmed(),
        s.oldestUnconfirmedNanos(),
        s.reorders());
  }

  /** The peer registry and the redials of dropped mesh peers. */
  public Reconnector reconnects() {
    return reconnects;
  }

  /** Discovery through the directories, when any are configured. */
  public Optional<PeerDiscovery> discovery() {
    return Optional.ofNullable(discovery);
  }

  /** Replaces the listener told about every peer record a directory's answer carried. */
  public void onDiscovered(DiscoveryListener listener) {
    this.discovered = listener;
  }

  /** The current value of one of the node's counters. */
  public long counter(NodeCounter counter) {
    return switch (counter) {
      case DIALS_STARTED -> dialer.dialsStarted();
      case DIALS_FAILED -> dialer.dialsFailed();
      case PEERS_DISCONNECTED -> dialer.disconnected();
      case MESSAGES_PUBLISHED -> published.sum();
      case MESSAGES_RECEIVED -> received.sum();
      case MESSAGES_PLAIN -> plain.sum();
      case CONFIRMATIONS_APPLIED ->
          sequencerClient == null ? 0 : sequencerClient.confirmationsApplied();
      case CONFIRMATIONS_REFUSED ->
          sequencerClient == null ? 0 : sequencerClient.confirmationsRefused();
      case MESSAGES_SUBMITTED -> sequencerClient == null ? 0 : sequencerClient.submitted();
      case ORDER_CONFLICTS -> orders.conflicts();
      case MESSAGES_FINALIZED -> sequencer == null ? 0 : sequencer.finalized();
      case SEQUENCER_REJECTED -> sequencer == null ? 0 : sequencer.rejected();
      case CONFIRMATIONS_SENT -> sequencer == null ? 0 : sequencer.confirmationsSent();
      case RIVAL_CONFIRMATIONS -> sequencer == null ? 0 : sequencer.secondSequencerConfirmations();
      case SEQUENCER_REACHABLE ->
          sequencerClient == null ? -1 : sequencerClient.reachable() ? 1 : 0;
    };
  }

  /** Joins {@code topic}: subscribes and takes part in its mesh. */
  public void join(String topic) {
    gossip.validator(topic, lamportBound);
    gossip.subscribe(topic);
    topics.add(topic);
    reconnects.join(topic);
    if (discovery != null) {
      discovery.join(topic);
    }
  }

  /** Leaves {@code topic}. */
  public void leave(String topic) {
    gossip.unsubscribe(topic);
    gossip.validator(topic, null);
    topics.remove(topic);
    reconnects.leave(topic);
    if (discovery != null) {
      discovery.leave(topic);
    }
  }

  /** Keeps {@code address} (with {@code /p2p/<id>}) connected from now on, redialling as needed. */
  public void keepConnected(Multiaddr address) {
    dialer.keep(address);
    reconnects.keptByNode(address.peerId().orElseThrow());
    trusted.add(address.peerId().orElseThrow());
  }

  /** P5 of a peer: {@code score} for a trusted one, 0 for any other; read on the router thread. */
  private java.util.function.ToDoubleFunction<PeerId> trustedScore(double score) {
    return peer -> trusted.contains(peer) ? score : 0;
  }

  /** Replaces the listener told about every received message. */
  public void onMessage(NodeMessageListener listener) {
    this.listener = listener;
  }

  public PeerId peerId() {
    return identity.peerId();
  }

  /** The bound listen addresses, each ending in {@code /p2p/<peer id>}. */
  public List<Multiaddr> listenAddresses() {
    return host.listenAddresses();
  }

  public NodeConfig config() {
    return config;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** This node's Lamport clock (read it; ticks belong to {@link #publish}). */
  public LamportClock clock() {
    return clock;
  }

  public Host host() {
    return host;
  }

  public Gossipsub gossipsub() {
    return gossip;
  }

  /** The journal and projections of this node. */
  public EventLog eventLog() {
    return eventLog;
  }

  public Journal journal() {
    return eventLog.journal();
  }

  public Projections projections() {
    return eventLog.projections();
  }

  /** Gap sync's counters; all zero when {@code sync.enabled} is false. */
  public CounterSet<SyncCounter> syncCounters() {
    return syncCounters;
  }

  /** The Kafka shipper's counters; all zero (positions -1) when it is off. */
  public CounterSet<ExportCounter> exportCounters() {
    return exportCounters;
  }

  private void journalNodeEvent(EventType type, String text) {
    Event e = new Event().type(type).timeNanos(nowNanos()).text(text);
    if (type == EventType.NODE_STARTED) {
      e.peer(identity.peerId().bytes());
    } else {
      e.lamport(clock.current()); // where the next run's clock resumes
    }
    eventLog.sink().publish(e);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Stops the node as described in the class comment. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AutoCloseable> parts = new ArrayList<>();
    if (chat != null) {
      parts.add(chat);
    }
    if (discovery != null) {
      parts.add(discovery); // unregisters while the connections are still up
    }
    if (sequencerClient != null) {
      parts.add(sequencerClient);
    }
    if (sequencer != null) {
      parts.add(sequencer);
    }
    if (directory != null) {
      parts.add(directory);
    }
    if (syncClient != null) {
      parts.add(syncClient);
      parts.add(syncServer);
    }
    parts.add(reconnects);
    parts.add(dialer);
    parts.add(offline);
    parts.add(gossip);
    parts.add(host);
    parts.add(orders); // its reorders are journaled before NODE_STOPPED
    parts.add(() -> journalNodeEvent(EventType.NODE_STOPPED, "close"));
    parts.add(eventLog);
    if (shipper != null) {
      parts.add(shipper); // after the journal: it ships NODE_STOPPED too
    }
    RuntimeException failure = closeAll(parts, null);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeAll(List<AutoCloseable> parts, Throwable cause) {
    RuntimeException failure = null;
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        if (cause != null) {
          cause.addSuppressed(e);
        } else if (failure == null) {
          failure = new IllegalStateException("closing the node failed: " + e, e);
        } else {
          failure.addSuppressed(e);
        }
        LOG.warn("closing {} failed", part, e);
      }
    }
    return failure;
  }
}
