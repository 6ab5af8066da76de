package io.meshlog.node;

import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.PeerScoreParams;
import io.meshlog.node.gossipsub.PeerScoreThresholds;
import io.meshlog.node.gossipsub.TopicScoreParams;
import io.meshlog.node.p2p.HostConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Turns {@code key = value} settings into a {@link NodeConfig}. Each key has one setter in {@link
 * #KEYS}; a key not there is rejected by name, so a typo never silently leaves a default in force.
 * Durations are ISO-8601 ({@code PT10S}) or a number with ms/s/m/h/d; lists are comma-separated.
 */
final class NodeProperties {

  /** Values gathered before the parts' records are built; one parse owns one instance. */
  private static final class State {
    Path dataDir;
    final NodeConfig.Builder node;
    final HostConfig.Builder host =
        HostConfig.builder().listenAddresses(List.of(NodeConfig.DEFAULT_LISTEN));
    final GossipsubConfig.Builder gossip = GossipsubConfig.builder();
    final double[] thresholds = thresholdArray(PeerScoreThresholds.defaults());
    final Map<String, String> score = new LinkedHashMap<>();
    final Map<String, String> journal = new LinkedHashMap<>();
    final Map<String, String> projections = new LinkedHashMap<>();
    Duration backoffMin = Duration.ofSeconds(1);
    Duration backoffMax = Duration.ofSeconds(60);
    int jmxPort = NodeConfig.OFF;
    String jmxBind = "127.0.0.1";
    Path jmxPasswordFile;
    Path jmxAccessFile;
    int promPort = NodeConfig.OFF;
    String promBind = "127.0.0.1";

    State(Path dataDir) {
      this.dataDir = dataDir;
      this.node = NodeConfig.builder(dataDir);
    }
  }

  private static final Map<String, BiConsumer<State, String>> KEYS = new LinkedHashMap<>();

  private static final List<String> JOURNAL_KEYS =
      List.of(
          "journal.ringSize",
          "journal.waitStrategy",
          "journal.rollCycle",
          "journal.retention.maxAge",
          "journal.retention.maxBytes",
          "journal.retention.interval",
          "journal.preallocateBytes",
          "journal.minFreeBytes",
          "journal.maxRecordBytes");

  private static final List<String> PROJECTION_KEYS =
      List.of(
          "projections.writeBufferSize", "projections.syncMode", "projections.catchUpBatchEvents");

  private static final List<String> SCORE_KEYS =
      List.of(
          "gossipsub.score.topicScoreCap",
          "gossipsub.score.appSpecificWeight",
          "gossipsub.score.ipColocationFactorWeight",
          "gossipsub.score.ipColocationFactorThreshold",
          "gossipsub.score.behaviourPenaltyWeight",
          "gossipsub.score.topicWeight",
          "gossipsub.score.timeInMeshWeight",
          "gossipsub.score.firstMessageDeliveriesWeight",
          "gossipsub.score.meshMessageDeliveriesWeight",
          "gossipsub.score.invalidMessageDeliveriesWeight");

  private static final String[] THRESHOLD_KEYS = {
    "gossipsub.threshold.gossip",
    "gossipsub.threshold.publish",
    "gossipsub.threshold.graylist",
    "gossipsub.threshold.acceptPx",
    "gossipsub.threshold.opportunisticGraft"
  };

  static {
    KEYS.put("node.dataDir", (s, v) -> {});
    KEYS.put("node.listen", (s, v) -> s.host.listenAddresses(list(v)));
    KEYS.put("node.peers", (s, v) -> s.node.peers(list(v)));
    KEYS.put("node.topics", (s, v) -> s.node.topics(list(v)));
    KEYS.put("node.agent", (s, v) -> s.host.agentVersion(v));
    KEYS.put("node.dial.backoffMin", (s, v) -> s.backoffMin = duration("node.dial.backoffMin", v));
    KEYS.put("node.dial.backoffMax", (s, v) -> s.backoffMax = duration("node.dial.backoffMax", v));
    KEYS.put("node.chatRate", (s, v) -> s.node.chatRate(dbl("node.chatRate", v)));

    KEYS.put("host.dialTimeout", (s, v) -> s.host.dialTimeout(duration("host.dialTimeout", v)));
    KEYS.put(
        "host.handshakeTimeout",
        (s, v) -> s.host.handshakeTimeout(duration("host.handshakeTimeout", v)));
    KEYS.put(
        "host.maxConnections", (s, v) -> s.host.maxConnections(integer("host.maxConnections", v)));
    KEYS.put(
        "host.maxStreamsPerConnection",
        (s, v) -> s.host.maxStreamsPerConnection(integer("host.maxStreamsPerConnection", v)));
    KEYS.put(
        "host.maxMessageSize", (s, v) -> s.host.maxMessageSize(integer("host.maxMessageSize", v)));
    KEYS.put(
        "host.maxPendingWriteBytes",
        (s, v) -> s.host.maxPendingWriteBytes(integer("host.maxPendingWriteBytes", v)));
    KEYS.put("host.pingInterval", (s, v) -> s.host.pingInterval(duration("host.pingInterval", v)));
    KEYS.put("host.pingTimeout", (s, v) -> s.host.pingTimeout(duration("host.pingTimeout", v)));
    KEYS.put("host.ioThreads", (s, v) -> s.host.ioThreads(integer("host.ioThreads", v)));

    KEYS.put("gossipsub.d", (s, v) -> s.gossip.d(integer("gossipsub.d", v)));
    KEYS.put("gossipsub.dLo", (s, v) -> s.gossip.dLo(integer("gossipsub.dLo", v)));
    KEYS.put("gossipsub.dHi", (s, v) -> s.gossip.dHi(integer("gossipsub.dHi", v)));
    KEYS.put("gossipsub.dLazy", (s, v) -> s.gossip.dLazy(integer("gossipsub.dLazy", v)));
    KEYS.put("gossipsub.dScore", (s, v) -> s.gossip.dScore(integer("gossipsub.dScore", v)));
    KEYS.put("gossipsub.dOut", (s, v) -> s.gossip.dOut(integer("gossipsub.dOut", v)));
    KEYS.put(
        "gossipsub.gossipFactor",
        (s, v) -> s.gossip.gossipFactor(dbl("gossipsub.gossipFactor", v)));
    KEYS.put(
        "gossipsub.heartbeatInterval",
        (s, v) -> s.gossip.heartbeatInterval(duration("gossipsub.heartbeatInterval", v)));
    KEYS.put(
        "gossipsub.fanoutTtl", (s, v) -> s.gossip.fanoutTtl(duration("gossipsub.fanoutTtl", v)));
    KEYS.put("gossipsub.seenTtl", (s, v) -> s.gossip.seenTtl(duration("gossipsub.seenTtl", v)));
    KEYS.put(
        "gossipsub.historyLength",
        (s, v) -> s.gossip.historyLength(integer("gossipsub.historyLength", v)));
    KEYS.put(
        "gossipsub.historyGossip",
        (s, v) -> s.gossip.historyGossip(integer("gossipsub.historyGossip", v)));
    KEYS.put(
        "gossipsub.floodPublish",
        (s, v) -> s.gossip.floodPublish(bool("gossipsub.floodPublish", v)));
    KEYS.put(
        "gossipsub.peerExchange",
        (s, v) -> s.gossip.peerExchange(bool("gossipsub.peerExchange", v)));
    KEYS.put(
        "gossipsub.maxMessageSize",
        (s, v) -> s.gossip.maxMessageSize(integer("gossipsub.maxMessageSize", v)));
    for (int i = 0; i < THRESHOLD_KEYS.length; i++) {
      int index = i;
      String key = THRESHOLD_KEYS[i];
      KEYS.put(key, (s, v) -> s.thresholds[index] = dbl(key, v));
    }
    for (String key : SCORE_KEYS) {
      KEYS.put(key, (s, v) -> s.score.put(key, v));
    }
    for (String key : JOURNAL_KEYS) {
      KEYS.put(key, (s, v) -> s.journal.put(key, v));
    }
    for (String key : PROJECTION_KEYS) {
      KEYS.put(key, (s, v) -> s.projections.put(key, v));
    }

    KEYS.put("jmx.port", (s, v) -> s.jmxPort = integer("jmx.port", v));
    KEYS.put("jmx.bindAddress", (s, v) -> s.jmxBind = v);
    KEYS.put("jmx.passwordFile", (s, v) -> s.jmxPasswordFile = Path.of(v));
    KEYS.put("jmx.accessFile", (s, v) -> s.jmxAccessFile = Path.of(v));
    KEYS.put("prometheus.port", (s, v) -> s.promPort = integer("prometheus.port", v));
    KEYS.put("prometheus.bindAddress", (s, v) -> s.promBind = v);
  }

  private NodeProperties() {}

  /** Every key this reader accepts, in table order. */
  static List<String> keys() {
    return List.copyOf(KEYS.keySet());
  }

  static NodeConfig parse(Map<String, String> props) {
    List<String> unknown = new ArrayList<>();
    for (String key : new TreeMap<>(props).keySet()) {
      if (!KEYS.containsKey(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown config key(s): " + String.join(", ", unknown));
    }
    String dir = props.get("node.dataDir");
    if (dir == null || dir.isBlank()) {
      throw NodeConfig.bad("node.dataDir", dir, "is required");
    }
    State s = new State(Path.of(dir.trim()));
    for (Map.Entry<String, String> e : props.entrySet()) {
      KEYS.get(e.getKey()).accept(s, e.getValue().trim());
    }
    PeerScoreThresholds t =
        new PeerScoreThresholds(
            s.thresholds[0], s.thresholds[1], s.thresholds[2], s.thresholds[3], s.thresholds[4]);
    GossipsubConfig gossip = s.gossip.thresholds(t).scoreParams(scoreParams(s.score)).build();
    return s.node
        .dialBackoff(s.backoffMin, s.backoffMax)
        .host(s.host.build())
        .gossipsub(gossip)
        .journal(JournalConfig.fromProperties(s.dataDir.resolve("journal"), s.journal))
        .projections(ProjectionConfig.fromProperties(s.projections))
        .jmx(s.jmxPort, s.jmxBind, s.jmxPasswordFile, s.jmxAccessFile)
        .prometheus(s.promPort, s.promBind)
        .build();
  }

  static Map<String, String> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      out.put(key, p.getProperty(key));
    }
    return out;
  }

  private static PeerScoreParams scoreParams(Map<String, String> v) {
    PeerScoreParams d = PeerScoreParams.chatDefaults();
    TopicScoreParams t = d.defaultTopic();
    TopicScoreParams topic =
        new TopicScoreParams(
            dbl(v, "gossipsub.score.topicWeight", t.topicWeight()),
            dbl(v, "gossipsub.score.timeInMeshWeight", t.timeInMeshWeight()),
            t.timeInMeshQuantum(),
            t.timeInMeshCap(),
            dbl(
                v,
                "gossipsub.score.firstMessageDeliveriesWeight",
                t.firstMessageDeliveriesWeight()),
            t.firstMessageDeliveriesDecay(),
            t.firstMessageDeliveriesCap(),
            dbl(v, "gossipsub.score.meshMessageDeliveriesWeight", t.meshMessageDeliveriesWeight()),
            t.meshMessageDeliveriesDecay(),
            t.meshMessageDeliveriesCap(),
            t.meshMessageDeliveriesThreshold(),
            t.meshMessageDeliveriesWindow(),
            t.meshMessageDeliveriesActivation(),
            t.meshFailurePenaltyWeight(),
            t.meshFailurePenaltyDecay(),
            dbl(
                v,
                "gossipsub.score.invalidMessageDeliveriesWeight",
                t.invalidMessageDeliveriesWeight()),
            t.invalidMessageDeliveriesDecay());
    return new PeerScoreParams(
        d.topics(),
        topic,
        dbl(v, "gossipsub.score.topicScoreCap", d.topicScoreCap()),
        dbl(v, "gossipsub.score.appSpecificWeight", d.appSpecificWeight()),
        dbl(v, "gossipsub.score.ipColocationFactorWeight", d.ipColocationFactorWeight()),
        v.containsKey("gossipsub.score.ipColocationFactorThreshold")
            ? integer(
                "gossipsub.score.ipColocationFactorThreshold",
                v.get("gossipsub.score.ipColocationFactorThreshold"))
            : d.ipColocationFactorThreshold(),
        dbl(v, "gossipsub.score.behaviourPenaltyWeight", d.behaviourPenaltyWeight()),
        d.behaviourPenaltyThreshold(),
        d.behaviourPenaltyDecay(),
        d.decayInterval(),
        d.decayToZero(),
        d.retainScore());
  }

  private static double[] thresholdArray(PeerScoreThresholds t) {
    return new double[] {
      t.gossipThreshold(),
      t.publishThreshold(),
      t.graylistThreshold(),
      t.acceptPxThreshold(),
      t.opportunisticGraftThreshold()
    };
  }

  static List<String> list(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static double dbl(Map<String, String> v, String key, double otherwise) {
    String s = v.get(key);
    return s == null ? otherwise : dbl(key, s);
  }

  static double dbl(String key, String v) {
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw NodeConfig.bad(key, v, "not a number");
    }
  }

  static int integer(String key, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw NodeConfig.bad(key, v, "not an integer");
    }
  }

  static boolean bool(String key, String v) {
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw NodeConfig.bad(key, v, "true or false");
    };
  }

  static Duration duration(String key, String v) {
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      int split = 0;
      while (split < v.length() && Character.isDigit(v.charAt(split))) {
        split++;
      }
      long n = Long.parseLong(v.substring(0, split));
      return switch (v.substring(split).trim()) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw NodeConfig.bad(key, v, "a duration such as 500ms, 10s, 5m, 1h, 7d or PT10S");
    }
  }
}
