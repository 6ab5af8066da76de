package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code gossipsub.*} settings, each declared once: the router's own ({@link GossipsubConfig}),
 * the score thresholds ({@code gossipsub.threshold.*}) and the default topic's and peer's score
 * weights ({@code gossipsub.score.*}). The tables in {@code docs/gossipsub.md} and {@code
 * docs/node.md} are checked against this one.
 */
public final class GossipsubSettings {

  /**
   * Router settings being read; {@link #build()} makes and validates the config. Not thread-safe.
   */
  public static final class Draft {
    private final GossipsubConfig.Builder gossip;
    private final double[] thresholds;
    private final Map<String, Number> score = new HashMap<>();
    private List<IpRange> colocationAllowed =
        PeerScoreParams.chatDefaults().ipColocationFactorWhitelist();

    /** A draft starting from the defaults. */
    public Draft() {
      this(GossipsubConfig.builder());
    }

    /** A draft starting from {@code base}'s settings. */
    public Draft(GossipsubConfig.Builder base) {
      this.gossip = base;
      PeerScoreThresholds t = PeerScoreThresholds.defaults();
      this.thresholds =
          new double[] {
            t.gossipThreshold(),
            t.publishThreshold(),
            t.graylistThreshold(),
            t.acceptPxThreshold(),
            t.opportunisticGraftThreshold()
          };
    }

    /**
     * The config read.
     *
     * @throws IllegalArgumentException naming the first bad key and value
     */
    public GossipsubConfig build() {
      PeerScoreThresholds t =
          new PeerScoreThresholds(
              thresholds[0], thresholds[1], thresholds[2], thresholds[3], thresholds[4]);
      return gossip.thresholds(t).scoreParams(scoreParams()).build();
    }

    private double score(String key, double otherwise) {
      Number n = score.get(key);
      return n == null ? otherwise : n.doubleValue();
    }

    private PeerScoreParams scoreParams() {
      PeerScoreParams d = PeerScoreParams.chatDefaults();
      TopicScoreParams t = d.defaultTopic();
      TopicScoreParams topic =
          new TopicScoreParams(
              score("gossipsub.score.topicWeight", t.topicWeight()),
              score("gossipsub.score.timeInMeshWeight", t.timeInMeshWeight()),
              t.timeInMeshQuantum(),
              t.timeInMeshCap(),
              score(
                  "gossipsub.score.firstMessageDeliveriesWeight", t.firstMessageDeliveriesWeight()),
              t.firstMessageDeliveriesDecay(),
              t.firstMessageDeliveriesCap(),
              score("gossipsub.score.meshMessageDeliveriesWeight", t.meshMessageDeliveriesWeight()),
              t.meshMessageDeliveriesDecay(),
              t.meshMessageDeliveriesCap(),
              t.meshMessageDeliveriesThreshold(),
              t.meshMessageDeliveriesWindow(),
              t.meshMessageDeliveriesActivation(),
              t.meshFailurePenaltyWeight(),
              t.meshFailurePenaltyDecay(),
              score(
                  "gossipsub.score.invalidMessageDeliveriesWeight",
                  t.invalidMessageDeliveriesWeight()),
              t.invalidMessageDeliveriesDecay());
      return new PeerScoreParams(
          d.topics(),
          topic,
          score("gossipsub.score.topicScoreCap", d.topicScoreCap()),
          score("gossipsub.score.appSpecificWeight", d.appSpecificWeight()),
          score("gossipsub.score.ipColocationFactorWeight", d.ipColocationFactorWeight()),
          (int)
              score("gossipsub.score.ipColocationFactorThreshold", d.ipColocationFactorThreshold()),
          colocationAllowed,
          score("gossipsub.score.behaviourPenaltyWeight", d.behaviourPenaltyWeight()),
          d.behaviourPenaltyThreshold(),
          d.behaviourPenaltyDecay(),
          d.decayInterval(),
          d.decayToZero(),
          d.retainScore());
    }
  }

  private static final SettingsTable<Draft> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.<Draft>of(
                  "gossipsub.d",
                  "int",
                  "4",
                  "mesh degree D: peers kept in each topic mesh (chat default 4)",
                  (s, v) -> s.gossip.d(SettingValues.integer("gossipsub.d", v))),
              Setting.<Draft>of(
                  "gossipsub.dLo",
                  "int",
                  "3",
                  "D_lo: below this a heartbeat grafts more peers (chat default 3)",
                  (s, v) -> s.gossip.dLo(SettingValues.integer("gossipsub.dLo", v))),
              Setting.<Draft>of(
                  "gossipsub.dHi",
                  "int",
                  "6",
                  "D_hi: above this a heartbeat prunes down to D (chat default 6)",
                  (s, v) -> s.gossip.dHi(SettingValues.integer("gossipsub.dHi", v))),
              Setting.<Draft>of(
                  "gossipsub.dLazy",
                  "int",
                  "4",
                  "D_lazy: minimum peers gossiped IHAVE to per topic per heartbeat",
                  (s, v) -> s.gossip.dLazy(SettingValues.integer("gossipsub.dLazy", v))),
              Setting.<Draft>of(
                  "gossipsub.dScore",
                  "int",
                  "2",
                  "D_score: peers kept by score when pruning an oversized mesh",
                  (s, v) -> s.gossip.dScore(SettingValues.integer("gossipsub.dScore", v))),
              Setting.<Draft>of(
                  "gossipsub.dOut",
                  "int",
                  "1",
                  "D_out: outbound peers kept in each mesh (must be < D_lo and <= D/2)",
                  (s, v) -> s.gossip.dOut(SettingValues.integer("gossipsub.dOut", v))),
              Setting.<Draft>of(
                  "gossipsub.gossipFactor",
                  "number",
                  "0.25",
                  "share of eligible peers that receive IHAVE (adaptive gossip)",
                  (s, v) -> s.gossip.gossipFactor(SettingValues.dbl("gossipsub.gossipFactor", v))),
              Setting.<Draft>of(
                  "gossipsub.heartbeatInterval",
                  "duration",
                  "1s",
                  "heartbeat period",
                  (s, v) ->
                      s.gossip.heartbeatInterval(
                          SettingValues.duration("gossipsub.heartbeatInterval", v))),
              Setting.<Draft>of(
                  "gossipsub.fanoutTtl",
                  "duration",
                  "60s",
                  "fanout of an unsubscribed topic is forgotten after this without publishing",
                  (s, v) -> s.gossip.fanoutTtl(SettingValues.duration("gossipsub.fanoutTtl", v))),
              Setting.<Draft>of(
                  "gossipsub.historyLength",
                  "int",
                  "5",
                  "message cache windows kept (heartbeats)",
                  (s, v) ->
                      s.gossip.historyLength(SettingValues.integer("gossipsub.historyLength", v))),
              Setting.<Draft>of(
                  "gossipsub.historyGossip",
                  "int",
                  "3",
                  "message cache windows advertised in IHAVE",
                  (s, v) ->
                      s.gossip.historyGossip(SettingValues.integer("gossipsub.historyGossip", v))),
              Setting.<Draft>of(
                  "gossipsub.seenTtl",
                  "duration",
                  "2m",
                  "how long a message id is remembered as seen",
                  (s, v) -> s.gossip.seenTtl(SettingValues.duration("gossipsub.seenTtl", v))),
              Setting.<Draft>of(
                  "gossipsub.pruneBackoff",
                  "duration",
                  "1m",
                  "backoff after a PRUNE before re-grafting",
                  (s, v) ->
                      s.gossip.pruneBackoff(SettingValues.duration("gossipsub.pruneBackoff", v))),
              Setting.<Draft>of(
                  "gossipsub.unsubscribeBackoff",
                  "duration",
                  "10s",
                  "backoff announced when leaving a topic",
                  (s, v) ->
                      s.gossip.unsubscribeBackoff(
                          SettingValues.duration("gossipsub.unsubscribeBackoff", v))),
              Setting.<Draft>of(
                  "gossipsub.graftFloodThreshold",
                  "duration",
                  "10s",
                  "a GRAFT this soon after a PRUNE counts double against P7",
                  (s, v) ->
                      s.gossip.graftFloodThreshold(
                          SettingValues.duration("gossipsub.graftFloodThreshold", v))),
              Setting.<Draft>of(
                  "gossipsub.opportunisticGraftTicks",
                  "int",
                  "60",
                  "heartbeats between opportunistic grafting rounds",
                  (s, v) ->
                      s.gossip.opportunisticGraftTicks(
                          SettingValues.integer("gossipsub.opportunisticGraftTicks", v))),
              Setting.<Draft>of(
                  "gossipsub.opportunisticGraftPeers",
                  "int",
                  "2",
                  "peers grafted per opportunistic round",
                  (s, v) ->
                      s.gossip.opportunisticGraftPeers(
                          SettingValues.integer("gossipsub.opportunisticGraftPeers", v))),
              Setting.<Draft>of(
                  "gossipsub.prunePeers",
                  "int",
                  "16",
                  "peers offered in PRUNE peer exchange",
                  (s, v) -> s.gossip.prunePeers(SettingValues.integer("gossipsub.prunePeers", v))),
              Setting.<Draft>of(
                  "gossipsub.peerExchange",
                  "boolean",
                  "true",
                  "offer peer exchange (PX) in PRUNE to v1.1 peers",
                  (s, v) -> s.gossip.peerExchange(SettingValues.bool("gossipsub.peerExchange", v))),
              Setting.<Draft>of(
                  "gossipsub.maxIHaveLength",
                  "int",
                  "5000",
                  "message ids accepted from one peer in IHAVE per heartbeat",
                  (s, v) ->
                      s.gossip.maxIHaveLength(
                          SettingValues.integer("gossipsub.maxIHaveLength", v))),
              Setting.<Draft>of(
                  "gossipsub.maxIHaveMessages",
                  "int",
                  "10",
                  "IHAVE control entries accepted from one peer per heartbeat",
                  (s, v) ->
                      s.gossip.maxIHaveMessages(
                          SettingValues.integer("gossipsub.maxIHaveMessages", v))),
              Setting.<Draft>of(
                  "gossipsub.iwantFollowupTime",
                  "duration",
                  "3s",
                  "time a peer has to deliver a message it advertised and we asked for",
                  (s, v) ->
                      s.gossip.iwantFollowupTime(
                          SettingValues.duration("gossipsub.iwantFollowupTime", v))),
              Setting.<Draft>of(
                  "gossipsub.gossipRetransmission",
                  "int",
                  "3",
                  "times one message is sent to one peer in answer to IWANT",
                  (s, v) ->
                      s.gossip.gossipRetransmission(
                          SettingValues.integer("gossipsub.gossipRetransmission", v))),
              Setting.<Draft>of(
                  "gossipsub.floodPublish",
                  "boolean",
                  "true",
                  "publish own messages to every subscribed peer above the publish threshold",
                  (s, v) -> s.gossip.floodPublish(SettingValues.bool("gossipsub.floodPublish", v))),
              Setting.<Draft>of(
                  "gossipsub.maxRpcSize",
                  "int",
                  "1048576",
                  "largest RPC accepted, checked before decoding (bytes)",
                  (s, v) -> s.gossip.maxRpcSize(SettingValues.integer("gossipsub.maxRpcSize", v))),
              Setting.<Draft>of(
                  "gossipsub.maxMessageSize",
                  "int",
                  "1048576",
                  "largest message payload accepted or published (bytes)",
                  (s, v) ->
                      s.gossip.maxMessageSize(
                          SettingValues.integer("gossipsub.maxMessageSize", v))),
              Setting.<Draft>of(
                  "gossipsub.maxSubscriptionsPerRpc",
                  "int",
                  "200",
                  "subscription entries accepted in one RPC",
                  (s, v) ->
                      s.gossip.maxSubscriptionsPerRpc(
                          SettingValues.integer("gossipsub.maxSubscriptionsPerRpc", v))),
              Setting.<Draft>of(
                  "gossipsub.maxMessagesPerRpc",
                  "int",
                  "500",
                  "messages accepted in one RPC",
                  (s, v) ->
                      s.gossip.maxMessagesPerRpc(
                          SettingValues.integer("gossipsub.maxMessagesPerRpc", v))),
              Setting.<Draft>of(
                  "gossipsub.maxControlEntriesPerRpc",
                  "int",
                  "1000",
                  "control entries (IHAVE/IWANT/GRAFT/PRUNE/IDONTWANT) accepted in one RPC",
                  (s, v) ->
                      s.gossip.maxControlEntriesPerRpc(
                          SettingValues.integer("gossipsub.maxControlEntriesPerRpc", v))),
              Setting.<Draft>of(
                  "gossipsub.maxIdsPerRpc",
                  "int",
                  "10000",
                  "message ids (over all control entries) accepted in one RPC",
                  (s, v) ->
                      s.gossip.maxIdsPerRpc(SettingValues.integer("gossipsub.maxIdsPerRpc", v))),
              Setting.<Draft>of(
                  "gossipsub.maxPeersPerPrune",
                  "int",
                  "64",
                  "PX peers accepted in one PRUNE",
                  (s, v) ->
                      s.gossip.maxPeersPerPrune(
                          SettingValues.integer("gossipsub.maxPeersPerPrune", v))),
              Setting.<Draft>of(
                  "gossipsub.maxTopicLength",
                  "int",
                  "256",
                  "longest topic name accepted (bytes)",
                  (s, v) ->
                      s.gossip.maxTopicLength(
                          SettingValues.integer("gossipsub.maxTopicLength", v))),
              Setting.<Draft>of(
                  "gossipsub.maxTopicsPerPeer",
                  "int",
                  "512",
                  "topics one remote peer may be subscribed to",
                  (s, v) ->
                      s.gossip.maxTopicsPerPeer(
                          SettingValues.integer("gossipsub.maxTopicsPerPeer", v))),
              Setting.<Draft>of(
                  "gossipsub.maxSeenMessages",
                  "int",
                  "200000",
                  "seen-cache entries; beyond this the oldest are forgotten early",
                  (s, v) ->
                      s.gossip.maxSeenMessages(
                          SettingValues.integer("gossipsub.maxSeenMessages", v))),
              Setting.<Draft>of(
                  "gossipsub.idontwantThreshold",
                  "int",
                  "512",
                  "messages at least this large (bytes) are announced with IDONTWANT to /meshsub/1.2.0 mesh peers (0 = never)",
                  (s, v) ->
                      s.gossip.idontwantThreshold(
                          SettingValues.integer("gossipsub.idontwantThreshold", v))),
              Setting.<Draft>of(
                  "gossipsub.maxPromisesPerPeer",
                  "int",
                  "1000",
                  "IWANT promises tracked per peer",
                  (s, v) ->
                      s.gossip.maxPromisesPerPeer(
                          SettingValues.integer("gossipsub.maxPromisesPerPeer", v))),
              Setting.<Draft>of(
                  "gossipsub.scoreSnapshotInterval",
                  "duration",
                  "10s",
                  "period of SCORE_SNAPSHOT events (zero = off)",
                  (s, v) ->
                      s.gossip.scoreSnapshotInterval(
                          SettingValues.duration("gossipsub.scoreSnapshotInterval", v))),
              Setting.<Draft>of(
                  "gossipsub.inboundQueueCapacity",
                  "int",
                  "8192",
                  "RPCs from peers waiting for the router at most; beyond it one is refused and counted",
                  (s, v) ->
                      s.gossip.inboundQueueCapacity(
                          SettingValues.integer("gossipsub.inboundQueueCapacity", v))),
              Setting.<Draft>of(
                  "gossipsub.signaturePolicy",
                  "enum",
                  "STRICT_SIGN",
                  "sign and verify (StrictSign) or neither (StrictNoSign)",
                  (s, v) ->
                      s.gossip.signaturePolicy(
                          SettingValues.enumValue(
                              SignaturePolicy.class, "gossipsub.signaturePolicy", v))),
              Setting.<Draft>of(
                  "gossipsub.verifyOnNetworkThreads",
                  "boolean",
                  "true",
                  "decode RPCs and check signatures on the network threads that read them, before the router queue (`RpcPrechecker`); false: on the router thread",
                  (s, v) ->
                      s.gossip.verifyOnNetworkThreads(
                          SettingValues.bool("gossipsub.verifyOnNetworkThreads", v))),
              Setting.<Draft>of(
                  "gossipsub.messageIdFunction",
                  "enum",
                  "STRICT_SIGN_JS",
                  "message id function; must match the mesh's",
                  (s, v) ->
                      s.gossip.messageIdFunction(
                          messageIdFunction("gossipsub.messageIdFunction", v))),
              Setting.<Draft>of(
                  "gossipsub.randomSeed",
                  "long",
                  "0",
                  "seed of the router's random choices (0 = from the clock); tests fix it",
                  (s, v) ->
                      s.gossip.randomSeed(SettingValues.longValue("gossipsub.randomSeed", v))),
              Setting.<Draft>of(
                  "gossipsub.threshold.gossip",
                  "number",
                  "-10",
                  "below this no gossip to/from a peer (≤ 0)",
                  (s, v) -> s.thresholds[0] = SettingValues.dbl("gossipsub.threshold.gossip", v)),
              Setting.<Draft>of(
                  "gossipsub.threshold.publish",
                  "number",
                  "-50",
                  "below this no flood-publish to a peer (≤ gossip)",
                  (s, v) -> s.thresholds[1] = SettingValues.dbl("gossipsub.threshold.publish", v)),
              Setting.<Draft>of(
                  "gossipsub.threshold.graylist",
                  "number",
                  "-80",
                  "below this every RPC of a peer is ignored (≤ publish)",
                  (s, v) -> s.thresholds[2] = SettingValues.dbl("gossipsub.threshold.graylist", v)),
              Setting.<Draft>of(
                  "gossipsub.threshold.acceptPx",
                  "number",
                  "10",
                  "PX followed only from peers above this (≥ 0)",
                  (s, v) -> s.thresholds[3] = SettingValues.dbl("gossipsub.threshold.acceptPx", v)),
              Setting.<Draft>of(
                  "gossipsub.threshold.opportunisticGraft",
                  "number",
                  "3",
                  "median mesh score below this triggers opportunistic grafting",
                  (s, v) ->
                      s.thresholds[4] =
                          SettingValues.dbl("gossipsub.threshold.opportunisticGraft", v)),
              Setting.<Draft>of(
                  "gossipsub.score.topicScoreCap",
                  "number",
                  "100",
                  "cap on the summed positive topic score (0 = none)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.topicScoreCap",
                          SettingValues.dbl("gossipsub.score.topicScoreCap", v))),
              Setting.<Draft>of(
                  "gossipsub.score.appSpecificWeight",
                  "number",
                  "1",
                  "P5 weight",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.appSpecificWeight",
                          SettingValues.dbl("gossipsub.score.appSpecificWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.ipColocationFactorWeight",
                  "number",
                  "0",
                  "P6 weight (≤ 0); 0 = colocation not scored (a community host serves many users behind one NAT)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.ipColocationFactorWeight",
                          SettingValues.dbl("gossipsub.score.ipColocationFactorWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.ipColocationFactorThreshold",
                  "int",
                  "10",
                  "peers per IP before P6 applies (js-libp2p's default)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.ipColocationFactorThreshold",
                          SettingValues.integer("gossipsub.score.ipColocationFactorThreshold", v))),
              Setting.<Draft>of(
                  "gossipsub.score.ipColocationFactorWhitelist",
                  "CIDR list",
                  "127.0.0.0/8,::1/128",
                  "address blocks P6 never scores, comma-separated (empty = none)",
                  (s, v) ->
                      s.colocationAllowed =
                          ipRanges("gossipsub.score.ipColocationFactorWhitelist", v)),
              Setting.<Draft>of(
                  "gossipsub.score.behaviourPenaltyWeight",
                  "number",
                  "-10",
                  "P7 weight (≤ 0)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.behaviourPenaltyWeight",
                          SettingValues.dbl("gossipsub.score.behaviourPenaltyWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.topicWeight",
                  "number",
                  "1",
                  "weight of every topic's score (default topic parameters)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.topicWeight",
                          SettingValues.dbl("gossipsub.score.topicWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.timeInMeshWeight",
                  "number",
                  "0.01",
                  "P1 weight",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.timeInMeshWeight",
                          SettingValues.dbl("gossipsub.score.timeInMeshWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.firstMessageDeliveriesWeight",
                  "number",
                  "1",
                  "P2 weight",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.firstMessageDeliveriesWeight",
                          SettingValues.dbl("gossipsub.score.firstMessageDeliveriesWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.meshMessageDeliveriesWeight",
                  "number",
                  "0",
                  "P3 weight (≤ 0; off for quiet chat topics)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.meshMessageDeliveriesWeight",
                          SettingValues.dbl("gossipsub.score.meshMessageDeliveriesWeight", v))),
              Setting.<Draft>of(
                  "gossipsub.score.invalidMessageDeliveriesWeight",
                  "number",
                  "-100",
                  "P4 weight (≤ 0)",
                  (s, v) ->
                      s.score.put(
                          "gossipsub.score.invalidMessageDeliveriesWeight",
                          SettingValues.dbl(
                              "gossipsub.score.invalidMessageDeliveriesWeight", v)))));

  private GossipsubSettings() {}

  /** Every {@code gossipsub.*} setting, in docs order. */
  public static SettingsTable<Draft> table() {
    return SETTINGS;
  }

  private static List<IpRange> ipRanges(String key, String v) {
    List<IpRange> out = new ArrayList<>();
    for (String item : SettingValues.list(v)) {
      try {
        out.add(IpRange.parse(item));
      } catch (IllegalArgumentException e) {
        throw SettingValues.bad(key, v, e.getMessage());
      }
    }
    return out;
  }

  private static MessageIdFunction messageIdFunction(String key, String v) {
    return switch (v.trim()) {
      case "STRICT_SIGN_JS" -> MessageIdFunction.STRICT_SIGN_JS;
      case "DATA_SHA256" -> MessageIdFunction.DATA_SHA256;
      default -> throw SettingValues.bad(key, v, "STRICT_SIGN_JS or DATA_SHA256");
    };
  }
}
