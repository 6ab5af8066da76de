package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.projection.LatencyHistogram;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.jmx.view.TopicOrderInfo;
import io.meshlog.jmx.view.TopicsView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link TopicsView} of the journal's topic projections: message counts, last message time,
 * delivery latency quantiles (publish time carried by meshlog messages to local receipt),
 * duplicates and rejects. What only the live router knows (subscribed, mesh peers) comes from a
 * {@link MeshState}, when there is one.
 *
 * <p>Latency percentiles are read off the projections' HdrHistogram: each is within 1% of a
 * measured delivery latency.
 *
 * <p>Thread-safe as far as its sources are.
 */
public final class ProjectionTopicsView implements TopicsView {

  /** The router's live view of a topic. Thread-safe. */
  public interface MeshState {

    /** Topics this node subscribes to. */
    List<String> subscribed();

    /** Peers in this node's mesh for {@code topic}, 0 when none. */
    int meshPeers(String topic);
  }

  private static final MeshState NO_MESH =
      new MeshState() {
        @Override
        public List<String> subscribed() {
          return List.of();
        }

        @Override
        public int meshPeers(String topic) {
          return 0;
        }
      };

  private final Supplier<Projections> projections;
  private final MeshState mesh;
  private final java.util.function.Function<String, Optional<TopicOrderInfo>> orders;

  /**
   * @param mesh the router's state, or null when there is no router (a replay)
   */
  public ProjectionTopicsView(Supplier<Projections> projections, MeshState mesh) {
    this(projections, mesh, topic -> Optional.empty());
  }

  /**
   * @param orders each topic's order on the node (its TopicOrders), read when a console asks
   */
  public ProjectionTopicsView(
      Supplier<Projections> projections,
      MeshState mesh,
      java.util.function.Function<String, Optional<TopicOrderInfo>> orders) {
    this.projections = projections;
    this.mesh = mesh == null ? NO_MESH : mesh;
    this.orders = orders;
  }

  @Override
  public Optional<TopicOrderInfo> order(String topic) {
    return orders.apply(topic);
  }

  @Override
  public List<String> topics() {
    Set<String> out = new LinkedHashSet<>(mesh.subscribed());
    Projections p = projections.get();
    if (p != null) {
      out.addAll(p.topicNames());
    }
    return new ArrayList<>(out);
  }

  @Override
  public Optional<TopicInfo> topic(String topic) {
    Projections p = projections.get();
    Optional<TopicStats> stats = p == null ? Optional.empty() : p.topic(topic);
    boolean subscribed = mesh.subscribed().contains(topic);
    if (stats.isEmpty() && !subscribed) {
      return Optional.empty();
    }
    int meshPeers = mesh.meshPeers(topic);
    if (stats.isEmpty()) {
      return Optional.of(TopicInfo.withoutLatency(topic, true, meshPeers, 0, -1, 0, 0));
    }
    TopicStats s = stats.get();
    return Optional.of(
        new TopicInfo(
            topic,
            subscribed,
            meshPeers,
            s.messages(),
            s.lastMessageNanos() == 0 ? -1 : s.lastMessageNanos() / 1_000_000,
            millis(s.latency(), 50),
            millis(s.latency(), 90),
            millis(s.latency(), 99),
            millis(s.latency(), 99.9),
            millis(s.latency(), 100),
            s.duplicates(),
            s.rejects(),
            s.bytes()));
  }

  private static double millis(LatencyHistogram h, double percentile) {
    long nanos = h == null ? -1 : percentile == 100 ? h.maxNanos() : h.percentileNanos(percentile);
    return nanos < 0 ? -1 : nanos / 1e6;
  }
}
