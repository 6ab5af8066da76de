package io.meshlog.jmx.internal;

import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.LatencySnapshot;
import io.meshlog.jmx.view.LatencyView;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.jmx.view.TopicOrderInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The series of the live mesh, made at each scrape from the views (nothing is registered per topic
 * or peer, so a topic or peer gone leaves no stale series): peers and their scores, topics and
 * their meshes, message counts and delivery latencies (summaries, quantiles over the last minute),
 * node health and projection lag. docs/prometheus.md lists every series.
 *
 * <p>Cardinality is bounded: at most {@code maxTopics} topics (by name) and {@code maxPeers} peers
 * carry a {@code topic} or {@code peer} label. A peer that has its series keeps them while it is
 * connected; free places go to the peers with the most messages in. Connected peers without series
 * are counted in {@code meshlog_peer_series_omitted}; the aggregates ({@code meshlog_peers_*})
 * cover every peer.
 *
 * <p>Thread-safe (a scrape at a time; {@code collect} is synchronized).
 */
final class MeshCollector implements MultiCollector {

  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private final MeshlogViews views;
  private final int maxPeers;
  private final int maxTopics;
  private final Set<String> exportedPeers = new HashSet<>(); // guarded by this

  MeshCollector(MeshlogViews views, int maxPeers, int maxTopics) {
    this.views = views;
    this.maxPeers = maxPeers;
    this.maxTopics = maxTopics;
  }

  @Override
  public synchronized MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    health(out);
    if (views.topics() != null) {
      topics(out);
    }
    if (views.peers() != null) {
      peers(out);
    }
    return new MetricSnapshots(out);
  }

  private void health(List<MetricSnapshot> out) {
    Health health = null;
    if (views.node() != null) {
      health = views.node().health();
    } else if (views.eventLog() != null) {
      health = views.eventLog().health();
    }
    if (health != null) {
      out.add(
          gauge(
              "meshlog_health_state",
              "node health: 0 ok, 1 lagging, 2 failed (the worst of journal, projections and"
                  + " network)",
              null,
              health.state().ordinal()));
    }
    if (views.eventLog() != null) {
      out.add(
          gauge(
              "meshlog_projection_lag_events",
              "events journaled but not yet applied to the projections (-1 when none open)",
              null,
              views.eventLog().projectionLag()));
    }
  }

  private void topics(List<MetricSnapshot> out) {
    List<String> names = new ArrayList<>(views.topics().topics());
    names.sort(null);
    List<TopicInfo> topics = new ArrayList<>();
    for (String t : names.subList(0, Math.min(names.size(), maxTopics))) {
      views.topics().topic(t).ifPresent(topics::add);
    }
    out.add(
        gauge(
            "meshlog_topics_omitted",
            "topics known but carrying no topic-labelled series (over the cap)",
            null,
            names.size() - topics.size()));
    out.add(
        gauges(
            "meshlog_topic_subscribed",
            "1 when this node subscribes to the topic",
            topics,
            TopicInfo::topic,
            t -> t.subscribed() ? 1 : 0));
    out.add(
        gauges(
            "meshlog_topic_mesh_peers",
            "peers in this node's mesh for the topic (its mesh degree)",
            topics,
            TopicInfo::topic,
            TopicInfo::meshPeers));
    out.add(
        counters(
            "meshlog_topic_messages",
            "messages published or delivered on the topic",
            topics,
            TopicInfo::messages));
    out.add(
        counters(
            "meshlog_topic_bytes",
            "payload bytes of the messages published or delivered on the topic",
            topics,
            TopicInfo::bytes));
    out.add(
        counters(
            "meshlog_topic_duplicates",
            "duplicate messages seen on the topic",
            topics,
            TopicInfo::duplicates));
    out.add(
        counters(
            "meshlog_topic_rejects",
            "messages rejected by validation on the topic",
            topics,
            TopicInfo::rejects));
    List<TopicInfo> ordered = new ArrayList<>();
    Map<String, TopicOrderInfo> orders = new HashMap<>();
    for (TopicInfo t : topics) {
      views
          .topics()
          .order(t.topic())
          .ifPresent(
              o -> {
                ordered.add(t);
                orders.put(t.topic(), o);
              });
    }
    out.add(
        gauges(
            "meshlog_topic_unconfirmed_messages",
            "messages of the topic still provisional here: no final position from a sequencer yet",
            ordered,
            TopicInfo::topic,
            t -> orders.get(t.topic()).unconfirmed()));
    long nowMillis = System.currentTimeMillis();
    out.add(
        gauges(
            "meshlog_topic_oldest_unconfirmed_age_seconds",
            "how long the oldest provisional message of the topic has waited; 0 when none",
            ordered,
            TopicInfo::topic,
            t -> {
              long oldest = orders.get(t.topic()).oldestUnconfirmedMillis();
              return oldest < 0 ? 0 : Math.max(0, nowMillis - oldest) / 1000.0;
            }));
    out.add(
        counters(
            "meshlog_topic_reorders",
            "final positions that moved a message in this node's order of the topic, since start",
            ordered,
            t -> orders.get(t.topic()).reorders()));
    LatencyView latencies = views.latencies();
    if (latencies != null) {
      out.add(
          summary(
              "meshlog_topic_delivery_latency_seconds",
              "publisher's time to local delivery; quantiles over the last minute, count and sum"
                  + " since start",
              "topic",
              topics.stream().map(TopicInfo::topic).toList(),
              latencies::topic));
    }
  }

  private void peers(List<MetricSnapshot> out) {
    List<PeerInfo> all = views.peers().peers();
    Map<String, PeerInfo> byId = new LinkedHashMap<>();
    for (PeerInfo p : all) {
      byId.put(p.peerId(), p);
    }
    exportedPeers.retainAll(byId.keySet());
    List<PeerInfo> rest = new ArrayList<>();
    for (PeerInfo p : all) {
      if (!exportedPeers.contains(p.peerId())) {
        rest.add(p);
      }
    }
    rest.sort(Comparator.comparingLong(PeerInfo::messagesIn).reversed());
    for (PeerInfo p : rest) {
      if (exportedPeers.size() >= maxPeers) {
        break;
      }
      exportedPeers.add(p.peerId());
    }
    List<PeerInfo> labelled = new ArrayList<>();
    for (PeerInfo p : all) {
      if (exportedPeers.contains(p.peerId())) {
        labelled.add(p);
      }
    }
    long graylisted = all.stream().filter(p -> !p.graylisted().isEmpty()).count();
    out.add(gauge("meshlog_peers_connected", "connected peers", null, all.size()));
    out.add(
        gauge(
            "meshlog_peers_graylisted",
            "connected peers whose score is below the graylist threshold",
            null,
            graylisted));
    out.add(
        gauge(
            "meshlog_peer_series_omitted",
            "connected peers carrying no peer-labelled series (over the cap)",
            null,
            all.size() - labelled.size()));
    // What the cap leaves out of the peer-labelled counters, summed: peers come and go, so gauges.
    long omittedIn = 0;
    long omittedOut = 0;
    for (PeerInfo p : all) {
      if (!exportedPeers.contains(p.peerId())) {
        omittedIn += p.messagesIn();
        omittedOut += p.messagesOut();
      }
    }
    out.add(
        gauge(
            "meshlog_peers_omitted_messages_received",
            "gossip messages received from the connected peers over the cap, summed",
            null,
            omittedIn));
    out.add(
        gauge(
            "meshlog_peers_omitted_messages_sent",
            "gossip messages sent to the connected peers over the cap, summed",
            null,
            omittedOut));
    if (!all.isEmpty()) {
      double[] scores = all.stream().mapToDouble(PeerInfo::score).sorted().toArray();
      out.add(
          gauge("meshlog_peers_score_min", "lowest score of a connected peer", null, scores[0]));
      out.add(
          gauge(
              "meshlog_peers_score_median",
              "median score of the connected peers",
              null,
              scores[(scores.length - 1) / 2]));
      out.add(
          gauge(
              "meshlog_peers_score_max",
              "highest score of a connected peer",
              null,
              scores[scores.length - 1]));
    }
    out.add(
        gauges(
            "meshlog_peer_score",
            "the peer's gossipsub score",
            labelled,
            PeerInfo::peerId,
            PeerInfo::score));
    out.add(
        gauges(
            "meshlog_peer_graylisted",
            "1 while the router ignores the peer's RPCs (score below the graylist threshold)",
            labelled,
            PeerInfo::peerId,
            p -> p.graylisted().isEmpty() ? 0 : 1));
    List<PeerInfo> pinged = labelled.stream().filter(p -> p.latencyMillis() >= 0).toList();
    out.add(
        new GaugeSnapshot(
            new MetricMetadata(
                "meshlog_peer_rtt_seconds", "last ping round trip to the peer", Unit.SECONDS),
            pinged.stream()
                .map(
                    p ->
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("peer", p.peerId()))
                            .value(p.latencyMillis() / 1e3)
                            .build())
                .toList()));
    out.add(
        peerCounters(
            "meshlog_peer_messages_received",
            "gossip messages received from the peer",
            null,
            labelled,
            PeerInfo::messagesIn));
    out.add(
        peerCounters(
            "meshlog_peer_messages_sent",
            "gossip messages sent to the peer",
            null,
            labelled,
            PeerInfo::messagesOut));
    out.add(
        peerCounters(
            "meshlog_peer_received_bytes",
            "bytes received from the peer",
            Unit.BYTES,
            labelled,
            PeerInfo::bytesIn));
    out.add(
        peerCounters(
            "meshlog_peer_sent_bytes",
            "bytes sent to the peer",
            Unit.BYTES,
            labelled,
            PeerInfo::bytesOut));
    out.add(
        peerCounters(
            "meshlog_peer_duplicate_messages",
            "gossip messages the peer forwarded that the node had already seen",
            null,
            labelled,
            PeerInfo::duplicates));
    LatencyView latencies = views.latencies();
    if (latencies != null) {
      out.add(
          summary(
              "meshlog_peer_delivery_latency_seconds",
              "publisher's time to local delivery of messages first received from the peer;"
                  + " quantiles over the last minute, count and sum since the peer connected",
              "peer",
              labelled.stream().map(PeerInfo::peerId).toList(),
              latencies::peer));
    }
  }

  private static GaugeSnapshot gauge(String name, String help, Unit unit, double value) {
    return new GaugeSnapshot(
        new MetricMetadata(name, help, unit),
        List.of(GaugeDataPointSnapshot.builder().value(value).build()));
  }

  private static <T> GaugeSnapshot gauges(
      String name,
      String help,
      List<T> rows,
      Function<T, String> label,
      ToDoubleFunction<T> value) {
    String key = name.startsWith("meshlog_topic_") ? "topic" : "peer";
    return new GaugeSnapshot(
        new MetricMetadata(name, help),
        rows.stream()
            .map(
                r ->
                    GaugeDataPointSnapshot.builder()
                        .labels(Labels.of(key, label.apply(r)))
                        .value(value.applyAsDouble(r))
                        .build())
            .toList());
  }

  private static CounterSnapshot counters(
      String name, String help, List<TopicInfo> topics, ToDoubleFunction<TopicInfo> value) {
    return new CounterSnapshot(
        new MetricMetadata(name, help),
        topics.stream()
            .map(
                t ->
                    CounterDataPointSnapshot.builder()
                        .labels(Labels.of("topic", t.topic()))
                        .value(value.applyAsDouble(t))
                        .build())
            .toList());
  }

  private static CounterSnapshot peerCounters(
      String name, String help, Unit unit, List<PeerInfo> peers, ToDoubleFunction<PeerInfo> value) {
    return new CounterSnapshot(
        new MetricMetadata(name, help, unit),
        peers.stream()
            .map(
                p ->
                    CounterDataPointSnapshot.builder()
                        .labels(Labels.of("peer", p.peerId()))
                        .value(value.applyAsDouble(p))
                        .build())
            .toList());
  }

  private static SummarySnapshot summary(
      String name,
      String help,
      String key,
      List<String> keys,
      Function<String, Optional<LatencySnapshot>> read) {
    List<SummaryDataPointSnapshot> points = new ArrayList<>();
    for (String k : keys) {
      Optional<LatencySnapshot> s = read.apply(k);
      if (s.isEmpty()) {
        continue;
      }
      LatencySnapshot l = s.get();
      List<Quantile> quantiles = new ArrayList<>();
      if (l.windowCount() > 0) {
        long[] values = {l.p50Nanos(), l.p90Nanos(), l.p99Nanos(), l.p999Nanos()};
        for (int i = 0; i < QUANTILES.length; i++) {
          quantiles.add(new Quantile(QUANTILES[i], values[i] / 1e9));
        }
      }
      points.add(
          new SummaryDataPointSnapshot(
              l.count(),
              l.sumNanos() / 1e9,
              Quantiles.of(quantiles),
              Labels.of(key, k),
              Exemplars.EMPTY,
              0L));
    }
    return new SummarySnapshot(new MetricMetadata(name, help, Unit.SECONDS), points);
  }
}
