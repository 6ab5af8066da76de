package io.meshlog.node.gossipsub.internal;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.GossipTransport;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.MessageHandler;
import io.meshlog.node.gossipsub.MessageSigner;
import io.meshlog.node.gossipsub.PeerScoreThresholds;
import io.meshlog.node.gossipsub.SignaturePolicy;
import io.meshlog.node.gossipsub.SyncVerdict;
import io.meshlog.node.gossipsub.TopicValidator;
import io.meshlog.node.gossipsub.ValidationResult;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcLimits;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The gossipsub v1.1 router (with v1.0 and floodsub peers, and v1.2 IDONTWANT honoured): topic
 * meshes kept between D_lo and D_hi by a heartbeat, fanout for topics published to but not joined,
 * the message cache and IHAVE/IWANT gossip with promise tracking, the seen cache, PRUNE with peer
 * exchange and backoff, flood publishing, opportunistic grafting, and peer scoring.
 *
 * <p>This is one single-threaded state machine, kept whole in one class on purpose: every input
 * (peer added/removed, RPC received, publish, subscribe, heartbeat) is a method call made by one
 * thread, with the current time passed in as data. No method reads a clock, blocks, or locks, so
 * the same inputs give the same outputs — tests drive whole simulated meshes deterministically, and
 * the journal can explain every decision. Splitting it would spread one consistent state (mesh,
 * fanout, scores) across objects that must still change together.
 *
 * <p>Three parts with an invariant of their own, which need nothing else of the router's state,
 * live in classes beside it, each owned by this router and driven by the same thread and the same
 * time: the {@link Outbox} (what each peer is to be sent, assembled into one RPC per flush), the
 * {@link BackoffTable} (prune backoff per topic and peer, never shortened) and the {@link
 * PromiseTracker} (IWANT promises, each broken one counted once). Every decision about them — whom
 * to graft, whom to penalise, what to send — stays here.
 *
 * <p>Outputs: encoded RPCs through {@link GossipTransport}, messages to the {@link MessageHandler},
 * one journal event per happening to the {@link EventSink}, and counters.
 *
 * <p>Not thread-safe: owned by the router thread ({@link RouterLoop}).
 */
public final class GossipRouter {
  public static final String FLOODSUB = "/floodsub/1.0.0";
  public static final String MESHSUB_V10 = "/meshsub/1.0.0";
  public static final String MESHSUB_V11 = "/meshsub/1.1.0";
  public static final String MESHSUB_V12 = "/meshsub/1.2.0";

  /** Longest backoff we honour from a peer's PRUNE, so a peer cannot lock us out for ever. */
  private static final long MAX_BACKOFF_SECONDS = 3600;

  /** IDONTWANT ids remembered per peer. */
  private static final int MAX_DONT_WANT_PER_PEER = 1000;

  /** What the router knows of a connected peer. */
  private static final class PeerState {
    final PeerId key;
    final byte[] id; // for journal events: handed to the sink, never modified
    final String protocol;
    final boolean outbound;
    final Set<String> topics = new LinkedHashSet<>();
    final LinkedHashMap<MessageId, Long> dontWant = new LinkedHashMap<>();
    int ihaveEntries; // this heartbeat
    int idsAsked; // this heartbeat

    PeerState(PeerId key, String protocol, boolean outbound) {
      this.key = key;
      this.id = key.bytes();
      this.protocol = protocol;
      this.outbound = outbound;
    }

    boolean isFloodsub() {
      return FLOODSUB.equals(protocol);
    }

    boolean supportsPx() {
      return MESHSUB_V11.equals(protocol) || MESHSUB_V12.equals(protocol);
    }
  }

  private GossipsubConfig config;
  private PeerScoreThresholds thresholds;
  private final RpcLimits limits;
  private final MessageSigner signer;
  private final GossipTransport transport;
  private final MessageHandler handler;
  private final CounterSet<GossipCounter> counters;
  private final GossipTracer tracer;
  private final Random random;
  private final PeerScore score;
  private final MessageCache mcache;
  private final SeenCache seen;

  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  private final Map<String, Set<PeerId>> topicPeers = new HashMap<>();
  private final Set<String> subscriptions = new LinkedHashSet<>();
  private final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
  private final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
  private final Map<String, Long> fanoutLastPublished = new HashMap<>();
  private final BackoffTable backoff = new BackoffTable();
  private final PromiseTracker promises = new PromiseTracker();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  private final Outbox outbox = new Outbox();

  /**
   * Scores computed once per heartbeat, as go does; outside heartbeats scores are computed live.
   */
  private final Map<PeerId, Double> scoreCache = new HashMap<>();

  private boolean inHeartbeat;

  /**
   * A peer below the graylist threshold, from the RPC that found it there until one finds it above.
   *
   * @param sinceNanos router time it was first found there
   * @param breakdown its score then, as weighted terms ({@link PeerScore#breakdown})
   * @param term the term that pulled it down most ({@code P6}, ...), or null
   */
  public record Graylisting(long sinceNanos, String breakdown, String term) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GossipRouter.class);
  private static final long GRAYLIST_LOG_INTERVAL_NANOS = 1_000_000_000L;
  private final Map<PeerId, Graylisting> graylisted = new HashMap<>();
  private long graylistLoggedAt = Long.MIN_VALUE;
  private int graylistLogsSuppressed;
  private boolean batching;

  private long seqno;
  private long heartbeats;
  private long nextDecay = Long.MIN_VALUE;
  private long nextSnapshot = Long.MIN_VALUE;
  private long now;

  /**
   * @param signer the node's identity; required under StrictSign, ignored under StrictNoSign
   * @param appScore P5: the application's score of a peer (called on the router thread)
   * @param startNanos the time the router starts at; also seeds the publish sequence numbers
   */
  public GossipRouter(
      GossipsubConfig config,
      MessageSigner signer,
      GossipTransport transport,
      MessageHandler handler,
      EventSink sink,
      CounterSet<GossipCounter> counters,
      ToDoubleFunction<PeerId> appScore,
      long startNanos) {
    this.config = config.validate();
    this.thresholds = config.thresholds();
    if (config.signaturePolicy() == SignaturePolicy.STRICT_SIGN && signer == null) {
      throw new IllegalArgumentException("StrictSign needs a signer");
    }
    this.limits = RpcPrechecker.limitsOf(config);
    this.signer = signer;
    this.transport = transport;
    this.handler = handler;
    this.counters = counters;
    this.tracer = new GossipTracer(sink, config.envelopeInspector(), counters, this::messageId);
    this.random = new Random(config.randomSeed() != 0 ? config.randomSeed() : startNanos);
    this.score =
        new PeerScore(
            config.scoreParams(), appScore, config.seenTtl().toNanos(), config.maxSeenMessages());
    this.mcache = new MessageCache(config.historyLength(), config.historyGossip());
    this.seen = new SeenCache(config.seenTtl().toNanos(), config.maxSeenMessages());
    // Like go-libp2p, start the sequence at the start time so restarts do not reuse numbers.
    this.seqno = Math.max(1, startNanos);
    this.now = startNanos;
  }

  // ================================================================== inputs

  /** Registers the validator of {@code topic} (replacing any); null removes it. */
  public void validator(String topic, TopicValidator validator) {
    if (validator == null) {
      validators.remove(topic);
    } else {
      validators.put(topic, validator);
    }
  }

  /**
   * Applies a new configuration's run-time settings (D, D_lo, D_hi, D_lazy, D_score, D_out, gossip
   * factor, score parameters and thresholds). Other settings keep their start values.
   */
  public void reconfigure(GossipsubConfig next) {
    next.validate();
    this.config = config.withRunTimeSettingsOf(next);
    this.thresholds = next.thresholds();
    score.params(next.scoreParams());
  }

  /** A peer opened a gossip stream speaking {@code protocol}; we send it our subscriptions. */
  public void addPeer(PeerId peer, String protocol, boolean outbound, String ip, long nowNanos) {
    time(nowNanos);
    if (peers.containsKey(peer)) {
      return;
    }
    PeerState p = new PeerState(peer, protocol, outbound);
    peers.put(peer, p);
    score.addPeer(peer, ip);
    tracer.addPeer(p.id, protocol, outbound);
    if (!subscriptions.isEmpty()) {
      List<Rpc.SubOpts> subs = new ArrayList<>(subscriptions.size());
      for (String t : subscriptions) {
        subs.add(new Rpc.SubOpts(true, t));
      }
      send(p, new Rpc(subs, List.of(), null));
    }
  }

  /** A peer's gossip stream went away. */
  public void removePeer(PeerId peer, long nowNanos) {
    time(nowNanos);
    PeerState p = peers.remove(peer);
    if (p == null) {
      return;
    }
    for (String t : p.topics) {
      Set<PeerId> set = topicPeers.get(t);
      if (set != null) {
        set.remove(peer);
        if (set.isEmpty()) {
          topicPeers.remove(t);
        }
      }
    }
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      if (e.getValue().remove(peer)) {
        tracer.prune(p.id, e.getKey(), Direction.NONE, "disconnected");
      }
    }
    for (Set<PeerId> f : fanout.values()) {
      f.remove(peer);
    }
    promises.removePeer(peer);
    outbox.drop(peer);
    score.removePeer(peer, now);
    graylisted.remove(peer);
    tracer.removePeer(p.id);
  }

  /** Whether {@code peer} was added and not removed since. */
  public boolean hasPeer(PeerId peer) {
    return peers.containsKey(peer);
  }

  /**
   * Handles one RPC from a peer.
   *
   * @return false when the RPC was malformed or oversized (the caller may close the stream); true
   *     otherwise, including when it was ignored
   */
  public boolean onRpc(PeerId peer, byte[] bytes, long nowNanos) {
    return receive(peer, bytes, null, nowNanos);
  }

  /**
   * Handles one RPC from a peer that a {@link RpcPrechecker} already decoded and checked on a
   * network thread; the same as {@link #onRpc(PeerId, byte[], long)} otherwise.
   */
  public boolean onRpc(PeerId peer, PrecheckedRpc prechecked, long nowNanos) {
    return receive(peer, null, prechecked, nowNanos);
  }

  private boolean receive(PeerId peer, byte[] bytes, PrecheckedRpc pre, long nowNanos) {
    time(nowNanos);
    PeerState p = peers.get(peer);
    if (p == null) {
      return true; // raced with removal
    }
    int size = pre != null ? pre.size() : bytes.length;
    counters.increment(GossipCounter.RPC_RECEIVED);
    if (scoreOf(peer) < thresholds.graylistThreshold()) {
      // Not even decoded here: a graylisted peer's flood costs us a score lookup per RPC.
      counters.increment(GossipCounter.RPC_GRAYLISTED);
      if (!graylisted.containsKey(peer)) {
        graylist(peer);
      }
      tracer.rpc(EventType.RECV_RPC, p.id, size, "graylisted");
      return true;
    }
    graylisted.remove(peer);
    Rpc rpc;
    if (pre != null) {
      rpc = pre.rpc();
    } else {
      try {
        rpc = RpcDecoder.decode(bytes, limits);
      } catch (RpcDecodeException e) {
        counters.increment(GossipCounter.RPC_REJECTED);
        tracer.inputRejected(p.id, size, e.getMessage());
        return false;
      }
    }
    tracer.rpc(EventType.RECV_RPC, p.id, size, rpc);
    for (Rpc.SubOpts s : rpc.subscriptions()) {
      handleSubscription(p, s);
    }
    List<Rpc.PubMessage> messages = rpc.publish();
    for (int i = 0; i < messages.size(); i++) {
      handleMessage(p, messages.get(i), pre == null ? PrecheckedRpc.UNCHECKED : pre.verdict(i));
    }
    Rpc.Control c = rpc.control();
    if (c != null && !p.isFloodsub()) {
      for (Rpc.IDontWant d : c.idontwant()) {
        handleIDontWant(p, d);
      }
      for (Rpc.IHave h : c.ihave()) {
        handleIHave(p, h);
      }
      for (Rpc.IWant w : c.iwant()) {
        handleIWant(p, w);
      }
      for (Rpc.Graft g : c.graft()) {
        handleGraft(p, g);
      }
      for (Rpc.Prune pr : c.prune()) {
        handlePrune(p, pr);
      }
    }
    endOfInput();
    return true;
  }

  /**
   * Publishes {@code data} on {@code topic}, signed under StrictSign.
   *
   * @return the message id
   * @throws IllegalArgumentException when data exceeds {@code gossipsub.maxMessageSize}
   */
  public byte[] publish(String topic, byte[] data, long nowNanos) {
    time(nowNanos);
    if (data.length > config.maxMessageSize()) {
      throw new IllegalArgumentException(
          "message of "
              + data.length
              + " bytes exceeds gossipsub.maxMessageSize "
              + config.maxMessageSize());
    }
    Rpc.PubMessage m;
    if (config.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      byte[] seq = new byte[8];
      long s = seqno++;
      for (int i = 7; i >= 0; i--) {
        seq[i] = (byte) s;
        s >>>= 8;
      }
      m =
          MessageSignatures.sign(
              new Rpc.PubMessage(signer.peerId(), data, seq, topic, null, null), signer);
    } else {
      m = new Rpc.PubMessage(null, data, null, topic, null, null);
    }
    byte[] idBytes = messageId(m);
    MessageId id = new MessageId(idBytes);
    markSeen(id);
    mcache.put(id, m);
    counters.increment(GossipCounter.MESSAGES_PUBLISHED);
    tracer.publishMessage(topic, idBytes, m);

    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> inTopic = topicPeers.getOrDefault(topic, Set.of());
    if (config.floodPublish()) {
      for (PeerId k : inTopic) {
        if (scoreOf(k) >= thresholds.publishThreshold()) {
          targets.add(k);
        }
      }
    } else {
      for (PeerId k : inTopic) {
        if (peers.get(k).isFloodsub() && scoreOf(k) >= thresholds.publishThreshold()) {
          targets.add(k);
        }
      }
      Set<PeerId> meshPeers = mesh.get(topic);
      if (meshPeers != null) {
        targets.addAll(meshPeers);
      } else {
        Set<PeerId> f = fanout.get(topic);
        if (f == null || f.isEmpty()) {
          f =
              new LinkedHashSet<>(
                  pickPeers(
                      topic,
                      config.d(),
                      k ->
                          !peers.get(k).isFloodsub()
                              && scoreOf(k) >= thresholds.publishThreshold()));
          fanout.put(topic, f);
        }
        targets.addAll(f);
      }
    }
    if (!subscriptions.contains(topic)) {
      fanoutLastPublished.put(topic, now);
    }
    sendMessage(m, targets);
    endOfInput();
    return idBytes;
  }

  /** Joins {@code topic}: announces it and builds its mesh (from the fanout first). */
  public void subscribe(String topic, long nowNanos) {
    time(nowNanos);
    if (!subscriptions.add(topic)) {
      return;
    }
    tracer.join(topic);
    announce(topic, true);
    Set<PeerId> meshPeers = new LinkedHashSet<>();
    mesh.put(topic, meshPeers);
    Set<PeerId> f = fanout.remove(topic);
    fanoutLastPublished.remove(topic);
    if (f != null) {
      for (PeerId k : f) {
        if (meshPeers.size() < config.d() && scoreOf(k) >= 0 && !inBackoff(topic, k)) {
          graftPeer(topic, k);
        }
      }
    }
    for (PeerId k : pickPeers(topic, config.d() - meshPeers.size(), k -> meshCandidate(topic, k))) {
      graftPeer(topic, k);
    }
    endOfInput();
  }

  /** Leaves {@code topic}: announces it and prunes the mesh with the unsubscribe backoff. */
  public void unsubscribe(String topic, long nowNanos) {
    time(nowNanos);
    if (!subscriptions.remove(topic)) {
      return;
    }
    tracer.leave(topic);
    Set<PeerId> meshPeers = mesh.remove(topic);
    if (meshPeers != null) {
      for (PeerId k : meshPeers) {
        PeerState p = peers.get(k);
        score.prune(k, topic, now);
        tracer.prune(p.id, topic, Direction.OUTBOUND, "unsubscribed");
        long b = config.unsubscribeBackoff().toSeconds();
        addBackoff(topic, k, b);
        outbox.to(k).prune.add(makePrune(p, topic, b, true));
      }
    }
    announce(topic, false); // after the PRUNEs, which it sends first
    endOfInput();
  }

  /** One heartbeat: mesh and fanout maintenance, gossip, promises, decay, cache shift. */
  public void heartbeat(long nowNanos) {
    time(nowNanos);
    heartbeats++;
    counters.increment(GossipCounter.HEARTBEATS);
    scoreCache.clear();
    inHeartbeat = true;
    try {
      runHeartbeat();
    } finally {
      inHeartbeat = false;
      scoreCache.clear();
    }
  }

  private void runHeartbeat() {
    if (now >= nextDecay) {
      score.decay(now);
      nextDecay = now + config.scoreParams().decayInterval().toNanos();
    }
    applyBrokenPromises();
    for (PeerState p : peers.values()) {
      p.ihaveEntries = 0;
      p.idsAsked = 0;
      expireDontWant(p);
    }
    expireBackoff();

    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      maintainMesh(e.getKey(), e.getValue());
    }
    maintainFanout();
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      emitGossip(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
      emitGossip(e.getKey(), e.getValue());
    }
    endOfInput();
    mcache.shift();
    seen.expire(now);
    if (!config.scoreSnapshotInterval().isZero() && now >= nextSnapshot) {
      nextSnapshot = now + config.scoreSnapshotInterval().toNanos();
      for (PeerState p : peers.values()) {
        tracer.scoreSnapshot(p.id, scoreOf(p.key), score.describe(p.key, now));
      }
    }
  }

  private void time(long nowNanos) {
    now = nowNanos;
    tracer.time(nowNanos);
  }

  // ================================================================== subscriptions

  private void handleSubscription(PeerState p, Rpc.SubOpts s) {
    String t = s.topic();
    if (s.subscribe()) {
      if (p.topics.contains(t)) {
        return;
      }
      if (p.topics.size() >= config.maxTopicsPerPeer()) {
        return; // bounded: a peer cannot make us track unlimited topics
      }
      p.topics.add(t);
      topicPeers.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(p.key);
      tracer.peerSubscribed(p.id, t, true);
      // Like js: a thin mesh takes a newly subscribed peer at once rather than at the heartbeat.
      Set<PeerId> m = mesh.get(t);
      if (m != null && m.size() < config.dLo() && meshCandidate(t, p.key)) {
        graftPeer(t, p.key);
      }
    } else {
      if (!p.topics.remove(t)) {
        return;
      }
      Set<PeerId> set = topicPeers.get(t);
      if (set != null) {
        set.remove(p.key);
        if (set.isEmpty()) {
          topicPeers.remove(t);
        }
      }
      Set<PeerId> m = mesh.get(t);
      if (m != null && m.remove(p.key)) {
        score.prune(p.key, t, now);
        tracer.prune(p.id, t, Direction.INBOUND, "unsubscribed");
      }
      Set<PeerId> f = fanout.get(t);
      if (f != null) {
        f.remove(p.key);
      }
      tracer.peerSubscribed(p.id, t, false);
    }
  }

  /**
   * Sends a subscription change to every peer. What is queued goes out first: a PRUNE queued by a
   * leave must reach a peer before a later re-subscription, or the peer may graft us in between and
   * we would have to refuse it (and it us, for a full prune backoff).
   */
  private void announce(String topic, boolean subscribe) {
    flush();
    Rpc rpc = new Rpc(List.of(new Rpc.SubOpts(subscribe, topic)), List.of(), null);
    for (PeerState p : peers.values()) {
      send(p, rpc);
    }
  }

  // ================================================================== messages

  /** {@code signatureVerdict}: see {@link PrecheckedRpc#verdict}; UNCHECKED: check it here. */
  private void handleMessage(PeerState p, Rpc.PubMessage m, String signatureVerdict) {
    String topic = m.topic();
    if (!subscriptions.contains(topic)) {
      counters.increment(GossipCounter.MESSAGES_IGNORED);
      return;
    }
    // Duplicates are dropped before the signature is checked, as go does: in a mesh most copies
    // are duplicates, and Ed25519 verification is the router's largest cost. A forged copy never
    // marks an id seen, since only a message that passed the check below does.
    byte[] idBytes;
    try {
      idBytes = messageId(m);
    } catch (IllegalArgumentException e) {
      reject(p, topic, null, "no message id: " + e.getMessage());
      return;
    }
    MessageId id = new MessageId(idBytes);
    if (seen.contains(id)) {
      counters.increment(GossipCounter.MESSAGES_DUPLICATE);
      score.duplicate(id, p.key, topic, now);
      promises.kept(id);
      tracer.duplicateMessage(p.id, topic, idBytes);
      return;
    }
    String bad;
    if (signatureVerdict != PrecheckedRpc.UNCHECKED) {
      // Checked on a network thread, on this very object.
      bad = signatureVerdict.isEmpty() ? null : signatureVerdict;
    } else {
      bad =
          config.signaturePolicy() == SignaturePolicy.STRICT_SIGN
              ? MessageSignatures.checkStrictSign(m)
              : MessageSignatures.checkStrictNoSign(m);
    }
    if (bad != null) {
      reject(p, topic, idBytes, bad);
      return;
    }
    markSeen(id);
    Via via =
        promises.promisedBy(id, p.key) ? Via.IWANT : inMesh(topic, p.key) ? Via.MESH : Via.FLOOD;
    promises.kept(id); // delivered: whoever promised it is off the hook
    score.validating(id, p.key, now);
    announceDontWant(m, idBytes, p.key);
    GossipMessage gm = new GossipMessage(idBytes, topic, m.from(), m.seqno(), dataOf(m));
    TopicValidator v = validators.get(topic);
    ValidationResult verdict = ValidationResult.ACCEPT;
    if (v != null) {
      try {
        verdict = v.validate(p.key, gm);
      } catch (RuntimeException e) {
        counters.increment(GossipCounter.ROUTER_ERRORS);
        verdict = ValidationResult.IGNORE; // the application's fault, not the peer's
      }
    }
    if (verdict == ValidationResult.REJECT) {
      counters.increment(GossipCounter.MESSAGES_REJECTED);
      score.rejected(id, p.key, topic);
      tracer.rejectMessage(p.id, topic, idBytes, "validator rejected: " + reason(v, p.key, gm));
      return;
    }
    if (verdict == ValidationResult.IGNORE) {
      counters.increment(GossipCounter.MESSAGES_IGNORED);
      score.ignored(id);
      tracer.rejectMessage(p.id, topic, idBytes, "validator ignored: " + reason(v, p.key, gm));
      return;
    }
    counters.increment(GossipCounter.MESSAGES_DELIVERED);
    score.delivered(id, p.key, topic, now);
    mcache.put(id, m);
    tracer.deliverMessage(p.id, topic, idBytes, m, via);
    try {
      handler.onMessage(p.key, gm);
    } catch (RuntimeException e) {
      counters.increment(GossipCounter.ROUTER_ERRORS); // the message still travels on
      tracer.undeliverable(topic, idBytes, "handler failed: " + e);
    }
    forward(m, id, p.key);
  }

  private String reason(TopicValidator v, PeerId forwarder, GossipMessage m) {
    try {
      return v == null ? "no validator" : v.reason(forwarder, m);
    } catch (RuntimeException e) {
      counters.increment(GossipCounter.ROUTER_ERRORS);
      return "validator failed to say why: " + e;
    }
  }

  /**
   * Messages fetched by sync from {@code source}: see {@code Gossipsub#deliverSynced}. Checked like
   * gossip (signature, then the claimed id against the content), delivered with via SYNC, not
   * forwarded, not put in the message cache (they are not recent gossip).
   */
  public List<SyncVerdict> deliverSynced(
      PeerId source, List<Rpc.PubMessage> messages, List<byte[]> claimedIds, long nowNanos) {
    time(nowNanos);
    byte[] sourceId = source.bytes();
    List<SyncVerdict> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Rpc.PubMessage m = messages.get(i);
      byte[] claimed = i < claimedIds.size() ? claimedIds.get(i) : null;
      out.add(deliverSynced(source, sourceId, m, claimed));
    }
    return out;
  }

  private SyncVerdict deliverSynced(
      PeerId source, byte[] sourceId, Rpc.PubMessage m, byte[] claimed) {
    String topic = m.topic();
    if (topic == null || !subscriptions.contains(topic)) {
      return SyncVerdict.NOT_SUBSCRIBED;
    }
    byte[] idBytes;
    try {
      idBytes = messageId(m);
    } catch (IllegalArgumentException e) {
      rejectSynced(source, topic, claimed, "sync: no message id: " + e.getMessage(), now);
      return SyncVerdict.INVALID;
    }
    String bad =
        config.signaturePolicy() == SignaturePolicy.STRICT_SIGN
            ? MessageSignatures.checkStrictSign(m)
            : MessageSignatures.checkStrictNoSign(m);
    if (bad == null && claimed != null && !java.util.Arrays.equals(claimed, idBytes)) {
      bad = "message id is not its content's";
    }
    if (bad != null) {
      rejectSynced(source, topic, idBytes, "sync: " + bad, now);
      return SyncVerdict.INVALID;
    }
    MessageId id = new MessageId(idBytes);
    if (seen.contains(id)) {
      counters.increment(GossipCounter.MESSAGES_DUPLICATE);
      return SyncVerdict.DUPLICATE;
    }
    GossipMessage gm = new GossipMessage(idBytes, topic, m.from(), m.seqno(), dataOf(m));
    // The topic's validator judges what sync brings as it judges gossip: a message it refuses
    // must not reach the application by the side door (the Lamport bound, for one).
    TopicValidator v = validators.get(topic);
    ValidationResult verdict = ValidationResult.ACCEPT;
    if (v != null) {
      try {
        verdict = v.validate(source, gm);
      } catch (RuntimeException e) {
        counters.increment(GossipCounter.ROUTER_ERRORS);
        verdict = ValidationResult.IGNORE;
      }
    }
    if (verdict == ValidationResult.REJECT) {
      rejectSynced(
          source, topic, idBytes, "sync: validator rejected: " + reason(v, source, gm), now);
      return SyncVerdict.INVALID;
    }
    if (verdict == ValidationResult.IGNORE) {
      counters.increment(GossipCounter.MESSAGES_IGNORED);
      tracer.rejectMessage(
          sourceId, topic, idBytes, "sync: validator ignored: " + reason(v, source, gm));
      return SyncVerdict.IGNORED;
    }
    markSeen(id);
    counters.increment(GossipCounter.MESSAGES_DELIVERED);
    tracer.deliverMessage(sourceId, topic, idBytes, m, Via.SYNC);
    try {
      handler.onMessage(source, gm);
    } catch (RuntimeException e) {
      counters.increment(GossipCounter.ROUTER_ERRORS);
      tracer.undeliverable(topic, idBytes, "handler failed: " + e);
    }
    return SyncVerdict.DELIVERED;
  }

  /** A sync answer that is not what it claims: P4 for its source, journaled as a reject. */
  public void rejectSynced(PeerId source, String topic, byte[] id, String reason, long nowNanos) {
    time(nowNanos);
    counters.increment(GossipCounter.MESSAGES_REJECTED);
    score.rejected(null, source, topic);
    tracer.rejectMessage(source.bytes(), topic, id, reason);
  }

  /** A message that is not what it claims: P4 for the forwarder, not marked seen. */
  private void reject(PeerState p, String topic, byte[] id, String reason) {
    counters.increment(GossipCounter.MESSAGES_REJECTED);
    score.rejected(null, p.key, topic);
    tracer.rejectMessage(p.id, topic, id, reason);
  }

  private static byte[] dataOf(Rpc.PubMessage m) {
    return m.data() == null ? new byte[0] : m.data();
  }

  private byte[] messageId(Rpc.PubMessage m) {
    return config.messageIdFunction().messageId(m.from(), m.seqno(), m.topic(), dataOf(m), m.key());
  }

  private void markSeen(MessageId id) {
    if (seen.add(id, now) == SeenCache.AddResult.NEW_EVICTED_OLDEST) {
      counters.increment(GossipCounter.SEEN_EVICTED);
    }
  }

  /** Forwards a first-delivered message to mesh peers (and floodsub peers) of its topic. */
  private void forward(Rpc.PubMessage m, MessageId id, PeerId source) {
    String topic = m.topic();
    Set<PeerId> targets = new LinkedHashSet<>();
    for (PeerId k : topicPeers.getOrDefault(topic, Set.of())) {
      if (peers.get(k).isFloodsub() && scoreOf(k) >= thresholds.publishThreshold()) {
        targets.add(k);
      }
    }
    Set<PeerId> meshPeers = mesh.get(topic);
    if (meshPeers != null) {
      targets.addAll(meshPeers);
    }
    targets.remove(source);
    if (m.from() != null) {
      targets.removeIf(k -> java.util.Arrays.equals(peers.get(k).id, m.from()));
    }
    targets.removeIf(k -> peers.get(k).dontWant.containsKey(id));
    counters.add(GossipCounter.MESSAGES_FORWARDED, targets.size());
    sendMessage(m, targets);
  }

  /** v1.2: tells 1.2 mesh peers not to send a large message we already have. */
  private void announceDontWant(Rpc.PubMessage m, byte[] id, PeerId source) {
    int threshold = config.idontwantThreshold();
    Set<PeerId> meshPeers = mesh.get(m.topic());
    if (threshold == 0 || meshPeers == null || dataOf(m).length < threshold) {
      return;
    }
    for (PeerId k : meshPeers) {
      PeerState p = peers.get(k);
      if (!k.equals(source) && MESHSUB_V12.equals(p.protocol)) {
        outbox.to(k).dontWant.add(id);
      }
    }
  }

  /** Queues {@code m} for each target; it leaves with the next flush, batched per peer. */
  private void sendMessage(Rpc.PubMessage m, Set<PeerId> targets) {
    for (PeerId k : targets) {
      outbox.to(k).messages.add(m);
    }
  }

  // ================================================================== control

  private void handleIDontWant(PeerState p, Rpc.IDontWant d) {
    counters.add(GossipCounter.IDONTWANT_RECEIVED, d.messageIds().size());
    long expiry = now + config.heartbeatInterval().toNanos() * config.historyLength();
    for (byte[] id : d.messageIds()) {
      if (p.dontWant.size() >= MAX_DONT_WANT_PER_PEER) {
        Iterator<MessageId> it = p.dontWant.keySet().iterator();
        it.next();
        it.remove();
      }
      p.dontWant.put(new MessageId(id), expiry);
    }
  }

  private void expireDontWant(PeerState p) {
    Iterator<Map.Entry<MessageId, Long>> it = p.dontWant.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= now) {
      it.remove();
    }
  }

  private void handleIHave(PeerState p, Rpc.IHave h) {
    counters.increment(GossipCounter.IHAVE_RECEIVED);
    if (scoreOf(p.key) < thresholds.gossipThreshold()
        || ++p.ihaveEntries > config.maxIHaveMessages()
        || p.idsAsked >= config.maxIHaveLength()
        || h.topic() == null
        || !subscriptions.contains(h.topic())) {
      counters.increment(GossipCounter.IHAVE_IGNORED);
      return;
    }
    List<byte[]> want = new ArrayList<>();
    Set<MessageId> dedup = new java.util.HashSet<>();
    for (byte[] raw : h.messageIds()) {
      MessageId id = new MessageId(raw);
      if (!seen.contains(id) && !promises.isPromised(id) && dedup.add(id)) {
        want.add(raw);
      }
    }
    if (want.isEmpty()) {
      return;
    }
    int room = config.maxIHaveLength() - p.idsAsked;
    if (want.size() > room) {
      Collections.shuffle(want, random);
      want = new ArrayList<>(want.subList(0, room));
    }
    p.idsAsked += want.size();
    // Like go, one random id of the request stands for the whole promise.
    MessageId promised = new MessageId(want.get(random.nextInt(want.size())));
    if (promises.asked(p.key) >= config.maxPromisesPerPeer()) {
      counters.increment(GossipCounter.PROMISES_DROPPED);
      return;
    }
    promises.promise(promised, p.key, now + config.iwantFollowupTime().toNanos());
    outbox.to(p.key).iwant.add(new Rpc.IWant(want));
  }

  private void applyBrokenPromises() {
    Map<PeerId, Integer> broken = promises.expire(now);
    for (Map.Entry<PeerId, Integer> e : broken.entrySet()) {
      counters.add(GossipCounter.BROKEN_PROMISES, e.getValue());
      penalise(e.getKey(), e.getValue());
    }
  }

  private void handleIWant(PeerState p, Rpc.IWant w) {
    counters.add(GossipCounter.IWANT_RECEIVED, w.messageIds().size());
    if (scoreOf(p.key) < thresholds.gossipThreshold()) {
      counters.add(GossipCounter.IWANT_IGNORED, w.messageIds().size());
      return;
    }
    Outbox.Parts out = null;
    for (byte[] raw : w.messageIds()) {
      MessageCache.Entry e = mcache.get(new MessageId(raw));
      if (out == null) {
        out = outbox.to(p.key);
      }
      // An id asked twice in one round is served once and does not use up a retransmission.
      if (e == null
          || out.messages.contains(e.message)
          || e.iwantCounts.merge(p.key, 1, Integer::sum) > config.gossipRetransmission()) {
        counters.increment(GossipCounter.IWANT_IGNORED);
        continue;
      }
      out.messages.add(e.message);
    }
  }

  private void handleGraft(PeerState p, Rpc.Graft g) {
    counters.increment(GossipCounter.GRAFT_RECEIVED);
    String topic = g.topic();
    Set<PeerId> meshPeers = mesh.get(topic);
    if (meshPeers == null) {
      // Not our topic: ignored silently, as js does (no PRUNE to amplify, no peers leaked).
      counters.increment(GossipCounter.GRAFT_REFUSED);
      return;
    }
    if (meshPeers.contains(p.key)) {
      return;
    }
    Long until = backoff.until(topic, p.key);
    if (until != null && until > now) {
      penalise(p.key, 1);
      long floodCutoff =
          until + config.graftFloodThreshold().toNanos() - config.pruneBackoff().toNanos();
      if (now < floodCutoff) {
        penalise(p.key, 1); // grafting right after being pruned: twice the penalty
      }
      addBackoff(topic, p.key, config.pruneBackoff().toSeconds());
      refuseGraft(p, topic, false, "backoff");
      return;
    }
    if (scoreOf(p.key) < 0) {
      addBackoff(topic, p.key, config.pruneBackoff().toSeconds());
      refuseGraft(p, topic, false, "negative score");
      return;
    }
    if (meshPeers.size() >= config.dHi() && !p.outbound) {
      addBackoff(topic, p.key, config.pruneBackoff().toSeconds());
      refuseGraft(p, topic, true, "mesh full");
      return;
    }
    meshPeers.add(p.key);
    score.graft(p.key, topic, now);
    tracer.graft(p.id, topic, Direction.INBOUND);
  }

  private void refuseGraft(PeerState p, String topic, boolean px, String reason) {
    counters.increment(GossipCounter.GRAFT_REFUSED);
    tracer.prune(p.id, topic, Direction.OUTBOUND, "graft refused: " + reason);
    outbox.to(p.key).prune.add(makePrune(p, topic, config.pruneBackoff().toSeconds(), px));
  }

  private void handlePrune(PeerState p, Rpc.Prune pr) {
    counters.increment(GossipCounter.PRUNE_RECEIVED);
    String topic = pr.topic();
    Set<PeerId> meshPeers = mesh.get(topic);
    if (meshPeers == null) {
      // Not our topic: remembering a backoff for it would let a peer fill our memory with topics.
      return;
    }
    if (meshPeers.remove(p.key)) {
      score.prune(p.key, topic, now);
      tracer.prune(p.id, topic, Direction.INBOUND, "pruned by peer");
    }
    long b = pr.backoffSeconds() >= 0 ? pr.backoffSeconds() : config.pruneBackoff().toSeconds();
    addBackoff(topic, p.key, Math.min(b, MAX_BACKOFF_SECONDS));
    if (!pr.peers().isEmpty() && scoreOf(p.key) >= thresholds.acceptPxThreshold()) {
      int n = 0;
      for (Rpc.PeerInfo info : pr.peers()) {
        if (n++ >= config.prunePeers()) {
          break;
        }
        if (info.peerId() == null) {
          continue;
        }
        PeerId k;
        try {
          k = PeerId.fromBytes(info.peerId());
        } catch (IllegalArgumentException e) {
          continue; // not a peer id: nothing to dial
        }
        if (!peers.containsKey(k)) {
          transport.connect(k, p.key, info.signedPeerRecord());
        }
      }
    }
  }

  private Rpc.Prune makePrune(PeerState to, String topic, long backoffSeconds, boolean px) {
    if (!to.supportsPx()) {
      return new Rpc.Prune(topic, List.of(), -1); // v1.0 knows neither PX nor backoff
    }
    List<Rpc.PeerInfo> offer = List.of();
    if (px && config.peerExchange() && config.prunePeers() > 0) {
      List<PeerId> picked =
          pickPeers(topic, config.prunePeers(), k -> !k.equals(to.key) && scoreOf(k) >= 0);
      offer = new ArrayList<>(picked.size());
      for (PeerId k : picked) {
        offer.add(new Rpc.PeerInfo(peers.get(k).id, transport.signedPeerRecord(k)));
      }
    }
    return new Rpc.Prune(topic, offer, backoffSeconds);
  }

  // ================================================================== heartbeat parts

  private void maintainMesh(String topic, Set<PeerId> meshPeers) {
    // Drop peers whose score went negative; no PX for them.
    for (Iterator<PeerId> it = meshPeers.iterator(); it.hasNext(); ) {
      PeerId k = it.next();
      if (scoreOf(k) < 0) {
        it.remove();
        prunePeer(topic, k, false, "negative score");
      }
    }
    if (meshPeers.size() < config.dLo()) {
      for (PeerId k :
          pickPeers(topic, config.d() - meshPeers.size(), k -> meshCandidate(topic, k))) {
        graftPeer(topic, k);
      }
    }
    if (meshPeers.size() > config.dHi()) {
      List<PeerId> list = new ArrayList<>(meshPeers);
      Collections.shuffle(list, random);
      list.sort((a, b) -> Double.compare(scoreOf(b), scoreOf(a)));
      List<PeerId> keep = new ArrayList<>(list.subList(0, config.dScore()));
      List<PeerId> rest = new ArrayList<>(list.subList(config.dScore(), list.size()));
      Collections.shuffle(rest, random);
      // Keep at least D_out outbound peers, taking them from the randomly kept rest.
      int outbound = 0;
      for (PeerId k : keep) {
        outbound += peers.get(k).outbound ? 1 : 0;
      }
      for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && outbound < config.dOut(); ) {
        PeerId k = it.next();
        if (peers.get(k).outbound) {
          keep.add(k);
          it.remove();
          outbound++;
        }
      }
      for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && keep.size() < config.d(); ) {
        keep.add(it.next());
        it.remove();
      }
      for (PeerId k : rest) {
        meshPeers.remove(k);
        prunePeer(topic, k, true, "mesh oversubscribed");
      }
    }
    if (meshPeers.size() >= config.dLo()) {
      int outbound = 0;
      for (PeerId k : meshPeers) {
        outbound += peers.get(k).outbound ? 1 : 0;
      }
      if (outbound < config.dOut()) {
        for (PeerId k :
            pickPeers(
                topic,
                config.dOut() - outbound,
                k -> peers.get(k).outbound && meshCandidate(topic, k))) {
          graftPeer(topic, k);
        }
      }
    }
    if (heartbeats % config.opportunisticGraftTicks() == 0 && meshPeers.size() > 1) {
      List<Double> scores = new ArrayList<>(meshPeers.size());
      for (PeerId k : meshPeers) {
        scores.add(scoreOf(k));
      }
      Collections.sort(scores);
      double median = scores.get(scores.size() / 2);
      if (median < thresholds.opportunisticGraftThreshold()) {
        for (PeerId k :
            pickPeers(
                topic,
                config.opportunisticGraftPeers(),
                k -> meshCandidate(topic, k) && scoreOf(k) > median)) {
          graftPeer(topic, k);
        }
      }
    }
  }

  private void maintainFanout() {
    long ttl = config.fanoutTtl().toNanos();
    for (Iterator<Map.Entry<String, Long>> it = fanoutLastPublished.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (e.getValue() + ttl <= now) {
        fanout.remove(e.getKey());
        it.remove();
      }
    }
    for (Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
      String topic = e.getKey();
      Set<PeerId> f = e.getValue();
      Set<PeerId> inTopic = topicPeers.getOrDefault(topic, Set.of());
      f.removeIf(k -> !inTopic.contains(k) || scoreOf(k) < thresholds.publishThreshold());
      if (f.size() < config.d()) {
        f.addAll(
            pickPeers(
                topic,
                config.d() - f.size(),
                k ->
                    !f.contains(k)
                        && !peers.get(k).isFloodsub()
                        && scoreOf(k) >= thresholds.publishThreshold()));
      }
    }
  }

  /** IHAVE of recent message ids to a share of non-mesh peers (adaptive gossip emission). */
  private void emitGossip(String topic, Set<PeerId> exclude) {
    List<byte[]> ids = mcache.gossipIds(topic);
    if (ids.isEmpty()) {
      return;
    }
    List<PeerId> candidates = new ArrayList<>();
    for (PeerId k : topicPeers.getOrDefault(topic, Set.of())) {
      if (!exclude.contains(k)
          && !peers.get(k).isFloodsub()
          && scoreOf(k) >= thresholds.gossipThreshold()) {
        candidates.add(k);
      }
    }
    int target = Math.max(config.dLazy(), (int) (candidates.size() * config.gossipFactor()));
    Collections.shuffle(candidates, random);
    if (ids.size() > config.maxIHaveLength()) {
      Collections.shuffle(ids, random);
      ids = new ArrayList<>(ids.subList(0, config.maxIHaveLength()));
    }
    List<byte[]> shared = List.copyOf(ids);
    for (int i = 0; i < candidates.size() && i < target; i++) {
      outbox.to(candidates.get(i)).ihave.add(new Rpc.IHave(topic, shared));
    }
  }

  private void expireBackoff() {
    backoff.expire(now, backoffSlackNanos());
  }

  // ================================================================== helpers

  private boolean meshCandidate(String topic, PeerId k) {
    Set<PeerId> m = mesh.get(topic);
    PeerState p = peers.get(k);
    return (m == null || !m.contains(k))
        && !p.isFloodsub()
        && !inBackoff(topic, k)
        && scoreOf(k) >= 0;
  }

  /** Up to {@code n} random peers subscribed to {@code topic} that pass {@code filter}. */
  private List<PeerId> pickPeers(String topic, int n, java.util.function.Predicate<PeerId> filter) {
    if (n <= 0) {
      return List.of();
    }
    List<PeerId> out = new ArrayList<>();
    for (PeerId k : topicPeers.getOrDefault(topic, Set.of())) {
      if (filter.test(k)) {
        out.add(k);
      }
    }
    Collections.shuffle(out, random);
    return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
  }

  private void graftPeer(String topic, PeerId k) {
    PeerState p = peers.get(k);
    mesh.get(topic).add(k);
    score.graft(k, topic, now);
    tracer.graft(p.id, topic, Direction.OUTBOUND);
    outbox.to(k).graft.add(new Rpc.Graft(topic));
  }

  private void prunePeer(String topic, PeerId k, boolean px, String reason) {
    PeerState p = peers.get(k);
    score.prune(k, topic, now);
    tracer.prune(p.id, topic, Direction.OUTBOUND, reason);
    addBackoff(topic, k, config.pruneBackoff().toSeconds());
    outbox.to(k).prune.add(makePrune(p, topic, config.pruneBackoff().toSeconds(), px));
  }

  private void penalise(PeerId k, int count) {
    counters.add(GossipCounter.BEHAVIOUR_PENALTIES, count);
    score.addPenalty(k, count);
    scoreCache.remove(k);
  }

  /**
   * Whether we may not graft {@code k} into {@code topic} yet. Our backoff started when we sent or
   * received the PRUNE; the peer's started when it got or sent it, a little later or earlier. A
   * GRAFT that arrives before the peer's backoff ends costs us a penalty and a full prune backoff,
   * so we wait one heartbeat past our own expiry (go-libp2p's backoff slack).
   */
  private boolean inBackoff(String topic, PeerId k) {
    return backoff.blocks(topic, k, now, backoffSlackNanos());
  }

  private long backoffSlackNanos() {
    return config.heartbeatInterval().toNanos();
  }

  private void addBackoff(String topic, PeerId k, long seconds) {
    backoff.add(topic, k, now + seconds * 1_000_000_000L);
  }

  private double scoreOf(PeerId k) {
    if (!inHeartbeat) {
      return score.score(k, now);
    }
    Double s = scoreCache.get(k);
    if (s == null) {
      s = score.score(k, now);
      scoreCache.put(k, s);
    }
    return s;
  }

  /**
   * Batching mode: inputs no longer send at their end; {@link #flush()} sends everything queued
   * since the last flush, one RPC per peer. The router thread uses it to coalesce what a burst of
   * inputs produced into few writes. Off by default (every input flushes).
   */
  public void batching(boolean on) {
    this.batching = on;
    if (!on) {
      flush();
    }
  }

  private void endOfInput() {
    if (!batching) {
      flush();
    }
  }

  /** Sends what was queued, one RPC per peer (messages split by size); see {@link Outbox}. */
  public void flush() {
    outbox.flush(config.maxRpcSize(), peers::containsKey, (k, rpc) -> send(peers.get(k), rpc));
  }

  private void send(PeerState p, Rpc rpc) {
    sendBytes(p, RpcEncoder.encode(rpc), rpc);
  }

  /** Whether {@code peer} is in this node's mesh for {@code topic}: a push from it came by mesh. */
  private boolean inMesh(String topic, PeerId peer) {
    Set<PeerId> m = mesh.get(topic);
    return m != null && m.contains(peer);
  }

  private void sendBytes(PeerState p, byte[] bytes, Rpc summary) {
    if (transport.send(p.key, bytes)) {
      counters.increment(GossipCounter.RPC_SENT);
      tracer.rpc(EventType.SEND_RPC, p.id, bytes.length, summary);
    } else {
      counters.increment(GossipCounter.RPC_DROPPED);
      tracer.rpc(EventType.DROP_RPC, p.id, bytes.length, summary);
    }
  }

  /**
   * A peer's RPCs start being ignored: counted, kept for the views, and logged with the term that
   * caused it. The log line is throttled to one a second (a crowd graylisted at once is one line
   * and a count), since peers can trigger it.
   */
  private void graylist(PeerId peer) {
    Graylisting g = new Graylisting(now, score.breakdown(peer, now), score.worstTerm(peer, now));
    graylisted.put(peer, g);
    counters.increment(GossipCounter.PEERS_GRAYLISTED);
    if (now - graylistLoggedAt >= GRAYLIST_LOG_INTERVAL_NANOS
        || graylistLoggedAt == Long.MIN_VALUE) {
      LOG.warn(
          "peer {} graylisted (its RPCs are ignored): {}, below threshold {}; caused by {}{}",
          peer,
          g.breakdown(),
          thresholds.graylistThreshold(),
          g.term() == null ? "no single term" : g.term(),
          graylistLogsSuppressed == 0
              ? ""
              : " (" + graylistLogsSuppressed + " more peers graylisted since the last line)");
      graylistLoggedAt = now;
      graylistLogsSuppressed = 0;
    } else {
      graylistLogsSuppressed++;
    }
  }

  // ================================================================== views (router thread)

  /** Peers graylisted now, with when and why. */
  public Map<PeerId, Graylisting> graylisted() {
    return Collections.unmodifiableMap(graylisted);
  }

  /** This node's topics. */
  public Set<String> subscriptions() {
    return Collections.unmodifiableSet(subscriptions);
  }

  /** The mesh of {@code topic} (empty when not joined). */
  public Set<PeerId> meshPeers(String topic) {
    Set<PeerId> m = mesh.get(topic);
    return m == null ? Set.of() : Collections.unmodifiableSet(m);
  }

  /** The fanout of {@code topic} (empty when none). */
  public Set<PeerId> fanoutPeers(String topic) {
    Set<PeerId> f = fanout.get(topic);
    return f == null ? Set.of() : Collections.unmodifiableSet(f);
  }

  /** Peers known to be subscribed to {@code topic}. */
  public Set<PeerId> topicPeers(String topic) {
    Set<PeerId> t = topicPeers.get(topic);
    return t == null ? Set.of() : Collections.unmodifiableSet(t);
  }

  public Set<PeerId> peers() {
    return Collections.unmodifiableSet(peers.keySet());
  }

  /** The peer's current score. */
  public double score(PeerId peer) {
    return score.score(peer, now);
  }

  int backoffEntries() {
    return backoff.size();
  }

  int knownTopics() {
    return topicPeers.size();
  }

  int seenSize() {
    return seen.size();
  }

  int promiseCount() {
    return promises.size();
  }

  int mcacheSize() {
    return mcache.size();
  }

  PeerScore peerScore() {
    return score;
  }

  public GossipsubConfig config() {
    return config;
  }
}
