package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.PeerScoreParams;
import io.meshlog.node.gossipsub.TopicScoreParams;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Gossipsub v1.1 peer scoring: per-topic P1 (time in mesh), P2 (first message deliveries), P3 (mesh
 * message delivery deficit), P3b (mesh failure penalty), P4 (invalid messages), and peer-wide P5
 * (application score), P6 (IP colocation), P7 (behaviour penalty), with counters decayed by {@link
 * #decay(long)} once per decay interval.
 *
 * <p>Delivery records (who forwarded which message, and whether it was valid) are kept for the seen
 * TTL so that late duplicates can be credited (P3) or penalised (P4) like the first copy.
 *
 * <p>Time is given in nanoseconds by the caller. Not thread-safe; owned by the router thread.
 */
public final class PeerScore {

  /** Outcome of validation, as far as scoring is concerned. */
  enum Status {
    PENDING,
    VALID,
    INVALID,
    IGNORED
  }

  static final class TopicCounters {
    boolean inMesh;
    long graftTime;
    double firstMessageDeliveries;
    double meshMessageDeliveries;
    double meshFailurePenalty;
    double invalidMessageDeliveries;
  }

  static final class PeerCounters {
    boolean connected = true;
    long expire;
    String ip;

    /** Whether P6 counts this peer's address (not in the allow-list); null until first asked. */
    Boolean colocationCounts;

    double behaviourPenalty;
    final Map<String, TopicCounters> topics = new HashMap<>(4);

    TopicCounters topic(String t) {
      return topics.computeIfAbsent(t, k -> new TopicCounters());
    }
  }

  private static final class DeliveryRecord {
    final MessageId id;
    final long expire;
    Status status = Status.PENDING;
    long validated;
    final Set<PeerId> peers = new HashSet<>(4);

    DeliveryRecord(MessageId id, long expire) {
      this.id = id;
      this.expire = expire;
    }
  }

  private PeerScoreParams params;
  private final ToDoubleFunction<PeerId> appScore;
  private final long recordTtlNanos;
  private final Map<PeerId, PeerCounters> peers = new HashMap<>();
  private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
  private final Map<MessageId, DeliveryRecord> records = new HashMap<>();
  private final ArrayDeque<DeliveryRecord> recordOrder = new ArrayDeque<>();

  private final int maxRecords;

  /**
   * @param recordTtlNanos how long delivery records are kept (the seen TTL)
   * @param maxRecords most delivery records kept; beyond it the oldest is dropped early
   */
  public PeerScore(
      PeerScoreParams params,
      ToDoubleFunction<PeerId> appScore,
      long recordTtlNanos,
      int maxRecords) {
    this.params = params;
    this.appScore = appScore;
    this.recordTtlNanos = recordTtlNanos;
    this.maxRecords = maxRecords;
  }

  /** Replaces the parameters (run-time reconfiguration); counters are kept. */
  public void params(PeerScoreParams params) {
    this.params = params;
    for (PeerCounters s : peers.values()) {
      s.colocationCounts = null; // the allow-list may have changed
    }
  }

  public PeerScoreParams params() {
    return params;
  }

  // ------------------------------------------------------------------ peers and mesh

  /** A peer connected; stats retained from an earlier connection are reused. */
  public void addPeer(PeerId peer, String ip) {
    PeerCounters s = peers.computeIfAbsent(peer, k -> new PeerCounters());
    s.connected = true;
    if (s.ip != null) {
      removeIp(peer, s.ip);
    }
    s.ip = ip;
    s.colocationCounts = null;
    if (ip != null) {
      peersByIp.computeIfAbsent(ip, k -> new HashSet<>()).add(peer);
    }
  }

  /**
   * A peer disconnected. A positive score is forgotten; a non-positive one is retained for {@code
   * retainScore} so a misbehaving peer cannot reset it by reconnecting.
   */
  public void removePeer(PeerId peer, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return;
    }
    if (score(peer, now) > 0) {
      peers.remove(peer);
      if (s.ip != null) {
        removeIp(peer, s.ip);
      }
      return;
    }
    for (Map.Entry<String, TopicCounters> e : s.topics.entrySet()) {
      leaveMesh(e.getValue(), params.forTopic(e.getKey()), now);
      e.getValue().firstMessageDeliveries = 0; // rewards do not outlive the connection
    }
    s.connected = false;
    s.expire = now + params.retainScore().toNanos();
    if (s.ip != null) {
      removeIp(peer, s.ip); // P6 counts connected peers only
    }
  }

  private void removeIp(PeerId peer, String ip) {
    Set<PeerId> set = peersByIp.get(ip);
    if (set != null) {
      set.remove(peer);
      if (set.isEmpty()) {
        peersByIp.remove(ip);
      }
    }
  }

  public void graft(PeerId peer, String topic, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return;
    }
    TopicCounters t = s.topic(topic);
    t.inMesh = true;
    t.graftTime = now;
    t.meshMessageDeliveries = 0;
  }

  public void prune(PeerId peer, String topic, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return;
    }
    TopicCounters t = s.topics.get(topic);
    if (t != null) {
      leaveMesh(t, params.forTopic(topic), now);
    }
  }

  /** Leaving the mesh with a delivery deficit while P3 was active turns it into P3b (sticky). */
  private static void leaveMesh(TopicCounters t, TopicScoreParams p, long now) {
    if (!t.inMesh) {
      return;
    }
    if (p != null
        && active(t, p, now)
        && t.meshMessageDeliveries < p.meshMessageDeliveriesThreshold()) {
      double deficit = p.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
      t.meshFailurePenalty += deficit * deficit;
    }
    t.inMesh = false;
  }

  private static boolean active(TopicCounters t, TopicScoreParams p, long now) {
    return t.inMesh && now - t.graftTime >= p.meshMessageDeliveriesActivation().toNanos();
  }

  /** Adds P7 behaviour penalty (broken promises, GRAFT during backoff, ...). */
  public void addPenalty(PeerId peer, double count) {
    PeerCounters s = peers.get(peer);
    if (s != null) {
      s.behaviourPenalty += count;
    }
  }

  // ------------------------------------------------------------------ message deliveries

  /** A message passed the duplicate check and is about to be validated. */
  public void validating(MessageId id, PeerId from, long now) {
    if (records.containsKey(id)) {
      return;
    }
    if (records.size() >= maxRecords) {
      records.remove(recordOrder.removeFirst().id);
    }
    DeliveryRecord r = new DeliveryRecord(id, now + recordTtlNanos);
    records.put(id, r);
    recordOrder.addLast(r);
  }

  /** First valid delivery from {@code from}: P2 for it, P3 for peers whose copy was in flight. */
  public void delivered(MessageId id, PeerId from, String topic, long now) {
    DeliveryRecord r = records.get(id);
    if (r != null) {
      r.status = Status.VALID;
      r.validated = now;
      for (PeerId p : r.peers) {
        if (!p.equals(from)) {
          meshDelivery(p, topic);
        }
      }
    }
    TopicScoreParams p = params.forTopic(topic);
    PeerCounters s = peers.get(from);
    if (p == null || s == null) {
      return;
    }
    TopicCounters t = s.topic(topic);
    t.firstMessageDeliveries =
        Math.min(p.firstMessageDeliveriesCap(), t.firstMessageDeliveries + 1);
    if (t.inMesh) {
      t.meshMessageDeliveries = Math.min(p.meshMessageDeliveriesCap(), t.meshMessageDeliveries + 1);
    }
  }

  /**
   * An invalid message from {@code from} (P4). {@code id} is null when the message was too broken
   * to have an id; otherwise peers that forwarded the same message are penalised too.
   */
  public void rejected(MessageId id, PeerId from, String topic) {
    invalid(from, topic);
    if (id == null) {
      return;
    }
    DeliveryRecord r = records.get(id);
    if (r != null) {
      r.status = Status.INVALID;
      for (PeerId p : r.peers) {
        invalid(p, topic);
      }
      r.peers.clear();
    }
  }

  public void ignored(MessageId id) {
    DeliveryRecord r = records.get(id);
    if (r != null) {
      r.status = Status.IGNORED;
      r.peers.clear();
    }
  }

  /** A duplicate from {@code from}: credited (P3) if near-first, penalised (P4) if invalid. */
  public void duplicate(MessageId id, PeerId from, String topic, long now) {
    DeliveryRecord r = records.get(id);
    if (r == null) {
      return;
    }
    switch (r.status) {
      case PENDING:
        r.peers.add(from);
        break;
      case VALID:
        TopicScoreParams p = params.forTopic(topic);
        if (p != null && now - r.validated <= p.meshMessageDeliveriesWindow().toNanos()) {
          meshDelivery(from, topic);
        }
        break;
      case INVALID:
        invalid(from, topic);
        break;
      default:
        break;
    }
  }

  private void meshDelivery(PeerId peer, String topic) {
    TopicScoreParams p = params.forTopic(topic);
    PeerCounters s = peers.get(peer);
    if (p == null || s == null) {
      return;
    }
    TopicCounters t = s.topics.get(topic);
    if (t != null && t.inMesh) {
      t.meshMessageDeliveries = Math.min(p.meshMessageDeliveriesCap(), t.meshMessageDeliveries + 1);
    }
  }

  private void invalid(PeerId peer, String topic) {
    PeerCounters s = peers.get(peer);
    if (s != null && params.forTopic(topic) != null) {
      s.topic(topic).invalidMessageDeliveries += 1;
    }
  }

  // ------------------------------------------------------------------ score and decay

  /** The peer's score now; 0 for an unknown peer. */
  public double score(PeerId peer, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return 0;
    }
    double score = 0;
    for (Map.Entry<String, TopicCounters> e : s.topics.entrySet()) {
      TopicScoreParams p = params.forTopic(e.getKey());
      if (p != null) {
        score += topicScore(e.getValue(), p, now) * p.topicWeight();
      }
    }
    if (params.topicScoreCap() > 0 && score > params.topicScoreCap()) {
      score = params.topicScoreCap();
    }
    score += appScore.applyAsDouble(peer) * params.appSpecificWeight();
    score += colocation(s) * params.ipColocationFactorWeight();
    score += behaviour(s) * params.behaviourPenaltyWeight();
    return score;
  }

  static double topicScore(TopicCounters t, TopicScoreParams p, long now) {
    double s = 0;
    if (t.inMesh) {
      double quanta = (double) (now - t.graftTime) / p.timeInMeshQuantum().toNanos();
      s += Math.min(quanta, p.timeInMeshCap()) * p.timeInMeshWeight();
    }
    s += t.firstMessageDeliveries * p.firstMessageDeliveriesWeight();
    if (active(t, p, now) && t.meshMessageDeliveries < p.meshMessageDeliveriesThreshold()) {
      double deficit = p.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
      s += deficit * deficit * p.meshMessageDeliveriesWeight();
    }
    s += t.meshFailurePenalty * p.meshFailurePenaltyWeight();
    s +=
        t.invalidMessageDeliveries
            * t.invalidMessageDeliveries
            * p.invalidMessageDeliveriesWeight();
    return s;
  }

  private double colocation(PeerCounters s) {
    if (s.ip == null) {
      return 0;
    }
    if (s.colocationCounts == null) {
      s.colocationCounts = params.colocationCounts(s.ip);
    }
    if (!s.colocationCounts) {
      return 0;
    }
    Set<PeerId> same = peersByIp.get(s.ip);
    int n = same == null ? 0 : same.size();
    int surplus = n - params.ipColocationFactorThreshold();
    return surplus > 0 ? (double) surplus * surplus : 0;
  }

  private double behaviour(PeerCounters s) {
    double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
    return excess > 0 ? excess * excess : 0;
  }

  /**
   * The score as its weighted terms, the largest penalty first, for an operator: {@code "score
   * -2,560 = P6 -2,560"}; terms that are 0 are left out.
   */
  public String breakdown(PeerId peer, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return "score 0";
    }
    double[] terms = new double[8]; // index = P number; P3 and P3b share 3
    for (Map.Entry<String, TopicCounters> e : s.topics.entrySet()) {
      TopicScoreParams p = params.forTopic(e.getKey());
      if (p == null) {
        continue;
      }
      TopicCounters t = e.getValue();
      double w = p.topicWeight();
      if (t.inMesh) {
        double quanta = (double) (now - t.graftTime) / p.timeInMeshQuantum().toNanos();
        terms[1] += Math.min(quanta, p.timeInMeshCap()) * p.timeInMeshWeight() * w;
      }
      terms[2] += t.firstMessageDeliveries * p.firstMessageDeliveriesWeight() * w;
      if (active(t, p, now) && t.meshMessageDeliveries < p.meshMessageDeliveriesThreshold()) {
        double deficit = p.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
        terms[3] += deficit * deficit * p.meshMessageDeliveriesWeight() * w;
      }
      terms[3] += t.meshFailurePenalty * p.meshFailurePenaltyWeight() * w;
      terms[4] +=
          t.invalidMessageDeliveries
              * t.invalidMessageDeliveries
              * p.invalidMessageDeliveriesWeight()
              * w;
    }
    terms[5] = appScore.applyAsDouble(peer) * params.appSpecificWeight();
    terms[6] = colocation(s) * params.ipColocationFactorWeight();
    terms[7] = behaviour(s) * params.behaviourPenaltyWeight();
    StringBuilder sb =
        new StringBuilder(48).append("score ").append(amount(score(peer, now))).append(" =");
    boolean any = false;
    for (int pass = 0; pass < 7; pass++) {
      int worst = -1;
      for (int i = 1; i < terms.length; i++) {
        if (!Double.isNaN(terms[i]) && terms[i] != 0 && (worst < 0 || terms[i] < terms[worst])) {
          worst = i;
        }
      }
      if (worst < 0) {
        break;
      }
      sb.append(any ? " + P" : " P").append(worst).append(' ').append(amount(terms[worst]));
      terms[worst] = Double.NaN;
      any = true;
    }
    return any ? sb.toString() : sb.append(" 0").toString();
  }

  /** The term that pulls the score down most, as {@code "P6"}, or null when none is negative. */
  public String worstTerm(PeerId peer, long now) {
    String b = breakdown(peer, now);
    int eq = b.indexOf("= P");
    if (eq < 0 || !b.substring(eq).contains(" -")) {
      return null;
    }
    int end = b.indexOf(' ', eq + 2);
    String term = b.substring(eq + 2, end);
    return b.substring(end + 1).startsWith("-") ? term : null;
  }

  private static String amount(double v) {
    return String.format(java.util.Locale.ROOT, "%,.0f", v);
  }

  /** Human-readable components for SCORE_SNAPSHOT. */
  public String describe(PeerId peer, long now) {
    PeerCounters s = peers.get(peer);
    if (s == null) {
      return "unknown";
    }
    StringBuilder sb = new StringBuilder(64);
    for (Map.Entry<String, TopicCounters> e : s.topics.entrySet()) {
      TopicCounters t = e.getValue();
      TopicScoreParams p = params.forTopic(e.getKey());
      if (p == null) {
        continue;
      }
      sb.append(e.getKey())
          .append(":{mesh=")
          .append(t.inMesh)
          .append(" p2=")
          .append(round(t.firstMessageDeliveries))
          .append(" p3=")
          .append(round(t.meshMessageDeliveries))
          .append(" p3b=")
          .append(round(t.meshFailurePenalty))
          .append(" p4=")
          .append(round(t.invalidMessageDeliveries))
          .append(" t=")
          .append(round(topicScore(t, p, now)))
          .append("} ");
    }
    sb.append("p5=")
        .append(round(appScore.applyAsDouble(peer)))
        .append(" p6=")
        .append(round(colocation(s)))
        .append(" p7=")
        .append(round(s.behaviourPenalty));
    return sb.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /**
   * Decays every counter once (call every decay interval), forgets retained peers whose time is up,
   * and drops expired delivery records.
   */
  public void decay(long now) {
    double toZero = params.decayToZero();
    Iterator<Map.Entry<PeerId, PeerCounters>> it = peers.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, PeerCounters> e = it.next();
      PeerCounters s = e.getValue();
      if (!s.connected && now >= s.expire) {
        if (s.ip != null) {
          removeIp(e.getKey(), s.ip);
        }
        it.remove();
        continue;
      }
      for (Map.Entry<String, TopicCounters> te : s.topics.entrySet()) {
        TopicScoreParams p = params.forTopic(te.getKey());
        if (p == null) {
          continue;
        }
        TopicCounters t = te.getValue();
        t.firstMessageDeliveries =
            decayed(t.firstMessageDeliveries, p.firstMessageDeliveriesDecay(), toZero);
        t.meshMessageDeliveries =
            decayed(t.meshMessageDeliveries, p.meshMessageDeliveriesDecay(), toZero);
        t.meshFailurePenalty = decayed(t.meshFailurePenalty, p.meshFailurePenaltyDecay(), toZero);
        t.invalidMessageDeliveries =
            decayed(t.invalidMessageDeliveries, p.invalidMessageDeliveriesDecay(), toZero);
      }
      s.behaviourPenalty = decayed(s.behaviourPenalty, params.behaviourPenaltyDecay(), toZero);
    }
    while (!recordOrder.isEmpty() && recordOrder.peekFirst().expire <= now) {
      records.remove(recordOrder.removeFirst().id);
    }
  }

  private static double decayed(double v, double decay, double toZero) {
    double d = v * decay;
    return d < toZero ? 0 : d;
  }

  /** Peers with stats (connected or retained); for tests and snapshots. */
  public Set<PeerId> knownPeers() {
    return peers.keySet();
  }

  boolean isConnected(PeerId peer) {
    PeerCounters s = peers.get(peer);
    return s != null && s.connected;
  }

  int deliveryRecords() {
    return records.size();
  }
}
