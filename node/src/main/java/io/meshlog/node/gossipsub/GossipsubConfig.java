package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.config.SettingValues;
import java.time.Duration;

/**
 * Every setting of the gossipsub router, with defaults for a chat application (D=4, D_lo=3, D_hi=6:
 * small meshes suit low-rate chat topics; the spec's 6/4/12 suit high-rate ones). Build with {@link
 * #builder()}; {@link #validate()} runs at startup and names the bad key.
 *
 * <p>D, D_lo, D_hi and the score parameters may be changed at run time through {@link
 * Gossipsub#reconfigure(GossipsubConfig)}; the rest takes effect at construction only.
 *
 * <p>Every setting, its default and meaning: the table in {@code docs/gossipsub.md}; each builder
 * method says the same.
 */
public record GossipsubConfig(
    int d,
    int dLo,
    int dHi,
    int dLazy,
    int dScore,
    int dOut,
    double gossipFactor,
    Duration heartbeatInterval,
    Duration fanoutTtl,
    int historyLength,
    int historyGossip,
    Duration seenTtl,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    Duration graftFloodThreshold,
    int opportunisticGraftTicks,
    int opportunisticGraftPeers,
    int prunePeers,
    boolean peerExchange,
    int maxIHaveLength,
    int maxIHaveMessages,
    Duration iwantFollowupTime,
    int gossipRetransmission,
    boolean floodPublish,
    int maxRpcSize,
    int maxMessageSize,
    int maxSubscriptionsPerRpc,
    int maxMessagesPerRpc,
    int maxControlEntriesPerRpc,
    int maxIdsPerRpc,
    int maxPeersPerPrune,
    int maxTopicLength,
    int maxTopicsPerPeer,
    int maxSeenMessages,
    int idontwantThreshold,
    int maxPromisesPerPeer,
    Duration scoreSnapshotInterval,
    int inboundQueueCapacity,
    SignaturePolicy signaturePolicy,
    boolean verifyOnNetworkThreads,
    MessageIdFunction messageIdFunction,
    PeerScoreParams scoreParams,
    PeerScoreThresholds thresholds,
    long randomSeed,
    EnvelopeInspector envelopeInspector) {

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This config with the settings an operator may change at run time taken from {@code next}: the
   * mesh degrees, the gossip factor, the score parameters and the thresholds. Everything else
   * (protocol limits, caches, signing) stays as it started.
   */
  public GossipsubConfig withRunTimeSettingsOf(GossipsubConfig next) {
    return toBuilder()
        .d(next.d())
        .dLo(next.dLo())
        .dHi(next.dHi())
        .dLazy(next.dLazy())
        .dScore(next.dScore())
        .dOut(next.dOut())
        .gossipFactor(next.gossipFactor())
        .scoreParams(next.scoreParams())
        .thresholds(next.thresholds())
        .build();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.d = d;
    b.dLo = dLo;
    b.dHi = dHi;
    b.dLazy = dLazy;
    b.dScore = dScore;
    b.dOut = dOut;
    b.gossipFactor = gossipFactor;
    b.heartbeatInterval = heartbeatInterval;
    b.fanoutTtl = fanoutTtl;
    b.historyLength = historyLength;
    b.historyGossip = historyGossip;
    b.seenTtl = seenTtl;
    b.pruneBackoff = pruneBackoff;
    b.unsubscribeBackoff = unsubscribeBackoff;
    b.graftFloodThreshold = graftFloodThreshold;
    b.opportunisticGraftTicks = opportunisticGraftTicks;
    b.opportunisticGraftPeers = opportunisticGraftPeers;
    b.prunePeers = prunePeers;
    b.peerExchange = peerExchange;
    b.maxIHaveLength = maxIHaveLength;
    b.maxIHaveMessages = maxIHaveMessages;
    b.iwantFollowupTime = iwantFollowupTime;
    b.gossipRetransmission = gossipRetransmission;
    b.floodPublish = floodPublish;
    b.maxRpcSize = maxRpcSize;
    b.maxMessageSize = maxMessageSize;
    b.maxSubscriptionsPerRpc = maxSubscriptionsPerRpc;
    b.maxMessagesPerRpc = maxMessagesPerRpc;
    b.maxControlEntriesPerRpc = maxControlEntriesPerRpc;
    b.maxIdsPerRpc = maxIdsPerRpc;
    b.maxPeersPerPrune = maxPeersPerPrune;
    b.maxTopicLength = maxTopicLength;
    b.maxTopicsPerPeer = maxTopicsPerPeer;
    b.maxSeenMessages = maxSeenMessages;
    b.idontwantThreshold = idontwantThreshold;
    b.maxPromisesPerPeer = maxPromisesPerPeer;
    b.scoreSnapshotInterval = scoreSnapshotInterval;
    b.inboundQueueCapacity = inboundQueueCapacity;
    b.signaturePolicy = signaturePolicy;
    b.verifyOnNetworkThreads = verifyOnNetworkThreads;
    b.messageIdFunction = messageIdFunction;
    b.scoreParams = scoreParams;
    b.thresholds = thresholds;
    b.randomSeed = randomSeed;
    b.envelopeInspector = envelopeInspector;
    return b;
  }

  /**
   * Checks every setting.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public GossipsubConfig validate() {
    MeshDegrees.check(d, dLo, dHi, dLazy, dScore, dOut)
        .ifPresent(
            v -> {
              throw SettingValues.bad("gossipsub." + v.degree(), v.value(), v.rule());
            });
    check(gossipFactor >= 0 && gossipFactor <= 1, "gossipsub.gossipFactor", gossipFactor);
    checkPositive(heartbeatInterval, "gossipsub.heartbeatInterval");
    checkPositive(fanoutTtl, "gossipsub.fanoutTtl");
    check(historyLength >= 1, "gossipsub.historyLength", historyLength);
    check(
        historyGossip >= 0 && historyGossip <= historyLength,
        "gossipsub.historyGossip",
        historyGossip);
    checkPositive(seenTtl, "gossipsub.seenTtl");
    checkPositive(pruneBackoff, "gossipsub.pruneBackoff");
    checkPositive(unsubscribeBackoff, "gossipsub.unsubscribeBackoff");
    check(
        graftFloodThreshold != null && !graftFloodThreshold.isNegative(),
        "gossipsub.graftFloodThreshold",
        graftFloodThreshold);
    check(
        opportunisticGraftTicks >= 1, "gossipsub.opportunisticGraftTicks", opportunisticGraftTicks);
    check(
        opportunisticGraftPeers >= 0, "gossipsub.opportunisticGraftPeers", opportunisticGraftPeers);
    check(prunePeers >= 0, "gossipsub.prunePeers", prunePeers);
    check(maxIHaveLength >= 1, "gossipsub.maxIHaveLength", maxIHaveLength);
    check(maxIHaveMessages >= 1, "gossipsub.maxIHaveMessages", maxIHaveMessages);
    checkPositive(iwantFollowupTime, "gossipsub.iwantFollowupTime");
    check(gossipRetransmission >= 1, "gossipsub.gossipRetransmission", gossipRetransmission);
    check(maxRpcSize >= 1024, "gossipsub.maxRpcSize", maxRpcSize);
    check(
        maxMessageSize >= 1 && maxMessageSize <= maxRpcSize,
        "gossipsub.maxMessageSize",
        maxMessageSize);
    check(maxSubscriptionsPerRpc >= 1, "gossipsub.maxSubscriptionsPerRpc", maxSubscriptionsPerRpc);
    check(maxMessagesPerRpc >= 1, "gossipsub.maxMessagesPerRpc", maxMessagesPerRpc);
    check(
        maxControlEntriesPerRpc >= 1, "gossipsub.maxControlEntriesPerRpc", maxControlEntriesPerRpc);
    check(maxIdsPerRpc >= 1, "gossipsub.maxIdsPerRpc", maxIdsPerRpc);
    check(maxPeersPerPrune >= 0, "gossipsub.maxPeersPerPrune", maxPeersPerPrune);
    check(maxTopicLength >= 1, "gossipsub.maxTopicLength", maxTopicLength);
    check(maxTopicsPerPeer >= 1, "gossipsub.maxTopicsPerPeer", maxTopicsPerPeer);
    check(maxSeenMessages >= 16, "gossipsub.maxSeenMessages", maxSeenMessages);
    check(idontwantThreshold >= 0, "gossipsub.idontwantThreshold", idontwantThreshold);
    check(maxPromisesPerPeer >= 1, "gossipsub.maxPromisesPerPeer", maxPromisesPerPeer);
    check(
        scoreSnapshotInterval != null && !scoreSnapshotInterval.isNegative(),
        "gossipsub.scoreSnapshotInterval",
        scoreSnapshotInterval);
    check(inboundQueueCapacity >= 16, "gossipsub.inboundQueueCapacity", inboundQueueCapacity);
    check(signaturePolicy != null, "gossipsub.signaturePolicy", signaturePolicy);
    check(messageIdFunction != null, "gossipsub.messageIdFunction", messageIdFunction);
    check(scoreParams != null, "gossipsub.scoreParams", scoreParams);
    check(envelopeInspector != null, "gossipsub.envelopeInspector", envelopeInspector);
    check(thresholds != null, "gossipsub.thresholds", thresholds);
    scoreParams.validate();
    thresholds.validate();
    return this;
  }

  private static void checkPositive(Duration value, String key) {
    check(value != null && !value.isNegative() && !value.isZero(), key, value);
  }

  static void check(boolean ok, String key, Object value) {
    SettingValues.require(ok, key, value, "out of range (see docs/gossipsub.md)");
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private int d = 4;
    private int dLo = 3;
    private int dHi = 6;
    private int dLazy = 4;
    private int dScore = 2;
    private int dOut = 1;
    private double gossipFactor = 0.25;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private int historyLength = 5;
    private int historyGossip = 3;
    private Duration seenTtl = Duration.ofMinutes(2);
    private Duration pruneBackoff = Duration.ofMinutes(1);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private int opportunisticGraftTicks = 60;
    private int opportunisticGraftPeers = 2;
    private int prunePeers = 16;
    private boolean peerExchange = true;
    private int maxIHaveLength = 5000;
    private int maxIHaveMessages = 10;
    private Duration iwantFollowupTime = Duration.ofSeconds(3);
    private int gossipRetransmission = 3;
    private boolean floodPublish = true;
    private int maxRpcSize = 1048576;
    private int maxMessageSize = 1048576;
    private int maxSubscriptionsPerRpc = 200;
    private int maxMessagesPerRpc = 500;
    private int maxControlEntriesPerRpc = 1000;
    private int maxIdsPerRpc = 10000;
    private int maxPeersPerPrune = 64;
    private int maxTopicLength = 256;
    private int maxTopicsPerPeer = 512;
    private int maxSeenMessages = 200000;
    private int idontwantThreshold = 512;
    private int maxPromisesPerPeer = 1000;
    private Duration scoreSnapshotInterval = Duration.ofSeconds(10);
    private int inboundQueueCapacity = 8192;
    private SignaturePolicy signaturePolicy = SignaturePolicy.STRICT_SIGN;
    private boolean verifyOnNetworkThreads = true;
    private MessageIdFunction messageIdFunction = MessageIdFunction.STRICT_SIGN_JS;
    private PeerScoreParams scoreParams = PeerScoreParams.chatDefaults();
    private PeerScoreThresholds thresholds = PeerScoreThresholds.defaults();
    private long randomSeed = 0L;
    private EnvelopeInspector envelopeInspector = EnvelopeInspector.NONE;

    private Builder() {}

    /** Mesh degree D: peers kept in each topic mesh (chat default 4). */
    public Builder d(int d) {
      this.d = d;
      return this;
    }

    /** D_lo: below this a heartbeat grafts more peers (chat default 3). */
    public Builder dLo(int dLo) {
      this.dLo = dLo;
      return this;
    }

    /** D_hi: above this a heartbeat prunes down to D (chat default 6). */
    public Builder dHi(int dHi) {
      this.dHi = dHi;
      return this;
    }

    /** D_lazy: minimum peers gossiped IHAVE to per topic per heartbeat. */
    public Builder dLazy(int dLazy) {
      this.dLazy = dLazy;
      return this;
    }

    /** D_score: peers kept by score when pruning an oversized mesh. */
    public Builder dScore(int dScore) {
      this.dScore = dScore;
      return this;
    }

    /** D_out: outbound peers kept in each mesh (must be < D_lo and <= D/2). */
    public Builder dOut(int dOut) {
      this.dOut = dOut;
      return this;
    }

    /** Share of eligible peers that receive IHAVE (adaptive gossip). */
    public Builder gossipFactor(double gossipFactor) {
      this.gossipFactor = gossipFactor;
      return this;
    }

    /** Heartbeat period. */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
      return this;
    }

    /** Fanout of an unsubscribed topic is forgotten after this without publishing. */
    public Builder fanoutTtl(Duration fanoutTtl) {
      this.fanoutTtl = fanoutTtl;
      return this;
    }

    /** Message cache windows kept (heartbeats). */
    public Builder historyLength(int historyLength) {
      this.historyLength = historyLength;
      return this;
    }

    /** Message cache windows advertised in IHAVE. */
    public Builder historyGossip(int historyGossip) {
      this.historyGossip = historyGossip;
      return this;
    }

    /** How long a message id is remembered as seen. */
    public Builder seenTtl(Duration seenTtl) {
      this.seenTtl = seenTtl;
      return this;
    }

    /** Backoff after a PRUNE before re-grafting. */
    public Builder pruneBackoff(Duration pruneBackoff) {
      this.pruneBackoff = pruneBackoff;
      return this;
    }

    /** Backoff announced when leaving a topic. */
    public Builder unsubscribeBackoff(Duration unsubscribeBackoff) {
      this.unsubscribeBackoff = unsubscribeBackoff;
      return this;
    }

    /** A GRAFT this soon after a PRUNE counts double against P7. */
    public Builder graftFloodThreshold(Duration graftFloodThreshold) {
      this.graftFloodThreshold = graftFloodThreshold;
      return this;
    }

    /** Heartbeats between opportunistic grafting rounds. */
    public Builder opportunisticGraftTicks(int opportunisticGraftTicks) {
      this.opportunisticGraftTicks = opportunisticGraftTicks;
      return this;
    }

    /** Peers grafted per opportunistic round. */
    public Builder opportunisticGraftPeers(int opportunisticGraftPeers) {
      this.opportunisticGraftPeers = opportunisticGraftPeers;
      return this;
    }

    /** Peers offered in PRUNE peer exchange. */
    public Builder prunePeers(int prunePeers) {
      this.prunePeers = prunePeers;
      return this;
    }

    /** Offer peer exchange (PX) in PRUNE to v1.1 peers. */
    public Builder peerExchange(boolean peerExchange) {
      this.peerExchange = peerExchange;
      return this;
    }

    /** Message ids accepted from one peer in IHAVE per heartbeat. */
    public Builder maxIHaveLength(int maxIHaveLength) {
      this.maxIHaveLength = maxIHaveLength;
      return this;
    }

    /** IHAVE control entries accepted from one peer per heartbeat. */
    public Builder maxIHaveMessages(int maxIHaveMessages) {
      this.maxIHaveMessages = maxIHaveMessages;
      return this;
    }

    /** Time a peer has to deliver a message it advertised and we asked for. */
    public Builder iwantFollowupTime(Duration iwantFollowupTime) {
      this.iwantFollowupTime = iwantFollowupTime;
      return this;
    }

    /** Times one message is sent to one peer in answer to IWANT. */
    public Builder gossipRetransmission(int gossipRetransmission) {
      this.gossipRetransmission = gossipRetransmission;
      return this;
    }

    /** Publish own messages to every subscribed peer above the publish threshold. */
    public Builder floodPublish(boolean floodPublish) {
      this.floodPublish = floodPublish;
      return this;
    }

    /** Largest RPC accepted, checked before decoding (bytes). */
    public Builder maxRpcSize(int maxRpcSize) {
      this.maxRpcSize = maxRpcSize;
      return this;
    }

    /** Largest message payload accepted or published (bytes). */
    public Builder maxMessageSize(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
      return this;
    }

    /** Subscription entries accepted in one RPC. */
    public Builder maxSubscriptionsPerRpc(int maxSubscriptionsPerRpc) {
      this.maxSubscriptionsPerRpc = maxSubscriptionsPerRpc;
      return this;
    }

    /** Messages accepted in one RPC. */
    public Builder maxMessagesPerRpc(int maxMessagesPerRpc) {
      this.maxMessagesPerRpc = maxMessagesPerRpc;
      return this;
    }

    /** Control entries (IHAVE/IWANT/GRAFT/PRUNE/IDONTWANT) accepted in one RPC. */
    public Builder maxControlEntriesPerRpc(int maxControlEntriesPerRpc) {
      this.maxControlEntriesPerRpc = maxControlEntriesPerRpc;
      return this;
    }

    /** Message ids (over all control entries) accepted in one RPC. */
    public Builder maxIdsPerRpc(int maxIdsPerRpc) {
      this.maxIdsPerRpc = maxIdsPerRpc;
      return this;
    }

    /** PX peers accepted in one PRUNE. */
    public Builder maxPeersPerPrune(int maxPeersPerPrune) {
      this.maxPeersPerPrune = maxPeersPerPrune;
      return this;
    }

    /** Longest topic name accepted (bytes). */
    public Builder maxTopicLength(int maxTopicLength) {
      this.maxTopicLength = maxTopicLength;
      return this;
    }

    /** Topics one remote peer may be subscribed to. */
    public Builder maxTopicsPerPeer(int maxTopicsPerPeer) {
      this.maxTopicsPerPeer = maxTopicsPerPeer;
      return this;
    }

    /** Seen-cache entries; beyond this the oldest are forgotten early. */
    public Builder maxSeenMessages(int maxSeenMessages) {
      this.maxSeenMessages = maxSeenMessages;
      return this;
    }

    /** Messages at least this large (bytes) are announced with IDONTWANT to 1.2 mesh peers. */
    public Builder idontwantThreshold(int idontwantThreshold) {
      this.idontwantThreshold = idontwantThreshold;
      return this;
    }

    /** IWANT promises tracked per peer. */
    public Builder maxPromisesPerPeer(int maxPromisesPerPeer) {
      this.maxPromisesPerPeer = maxPromisesPerPeer;
      return this;
    }

    /** Period of SCORE_SNAPSHOT events (zero = off). */
    public Builder scoreSnapshotInterval(Duration scoreSnapshotInterval) {
      this.scoreSnapshotInterval = scoreSnapshotInterval;
      return this;
    }

    /** RPCs from peers waiting for the router at most; arrivals and removals are never refused. */
    public Builder inboundQueueCapacity(int inboundQueueCapacity) {
      this.inboundQueueCapacity = inboundQueueCapacity;
      return this;
    }

    /** Sign and verify (StrictSign) or neither (StrictNoSign). */
    public Builder signaturePolicy(SignaturePolicy signaturePolicy) {
      this.signaturePolicy = signaturePolicy;
      return this;
    }

    /**
     * Decode RPCs and check message signatures on the network threads that read them, before the
     * router queue, so the router thread does not spend its time on Ed25519 (default true).
     */
    public Builder verifyOnNetworkThreads(boolean verifyOnNetworkThreads) {
      this.verifyOnNetworkThreads = verifyOnNetworkThreads;
      return this;
    }

    /** Message id function; must match the mesh's. */
    public Builder messageIdFunction(MessageIdFunction messageIdFunction) {
      this.messageIdFunction = messageIdFunction;
      return this;
    }

    /** Peer score parameters. */
    public Builder scoreParams(PeerScoreParams scoreParams) {
      this.scoreParams = scoreParams;
      return this;
    }

    /** Score thresholds. */
    public Builder thresholds(PeerScoreThresholds thresholds) {
      this.thresholds = thresholds;
      return this;
    }

    /** Seed of the router's random choices (0 = from the clock); tests fix it. */
    public Builder randomSeed(long randomSeed) {
      this.randomSeed = randomSeed;
      return this;
    }

    /**
     * Reads application facts (meshlog's envelope) from message data into the PUBLISH_MESSAGE and
     * DELIVER_MESSAGE journal events; default {@link EnvelopeInspector#NONE}.
     */
    public Builder envelopeInspector(EnvelopeInspector envelopeInspector) {
      this.envelopeInspector = envelopeInspector;
      return this;
    }

    /** Builds and validates. */
    public GossipsubConfig build() {
      return new GossipsubConfig(
              d,
              dLo,
              dHi,
              dLazy,
              dScore,
              dOut,
              gossipFactor,
              heartbeatInterval,
              fanoutTtl,
              historyLength,
              historyGossip,
              seenTtl,
              pruneBackoff,
              unsubscribeBackoff,
              graftFloodThreshold,
              opportunisticGraftTicks,
              opportunisticGraftPeers,
              prunePeers,
              peerExchange,
              maxIHaveLength,
              maxIHaveMessages,
              iwantFollowupTime,
              gossipRetransmission,
              floodPublish,
              maxRpcSize,
              maxMessageSize,
              maxSubscriptionsPerRpc,
              maxMessagesPerRpc,
              maxControlEntriesPerRpc,
              maxIdsPerRpc,
              maxPeersPerPrune,
              maxTopicLength,
              maxTopicsPerPeer,
              maxSeenMessages,
              idontwantThreshold,
              maxPromisesPerPeer,
              scoreSnapshotInterval,
              inboundQueueCapacity,
              signaturePolicy,
              verifyOnNetworkThreads,
              messageIdFunction,
              scoreParams,
              thresholds,
              randomSeed,
              envelopeInspector)
          .validate();
    }
  }
}
