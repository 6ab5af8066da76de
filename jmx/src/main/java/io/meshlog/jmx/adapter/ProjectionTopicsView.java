package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.projection.LatencyHistogram;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.jmx.view.TopicsView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link TopicsView} of the journal's topic projections: message counts, last message time,
 * delivery latency quantiles (publish time carried by meshlog messages to local receipt),
 * duplicates and rejects. What only the live router knows (subscribed, mesh peers) comes from a
 * {@link MeshState}, when there is one.
 *
 * <p>Latency quantiles are bucket upper bounds of the projections' histogram: "p99 of deliveries
 * took less than this".
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

  /**
   * @param mesh the router's state, or null when there is no router (a replay)
   */
  public ProjectionTopicsView(Supplier<Projections> projections, MeshState mesh) {
    this.projections = projections;
    this.mesh = mesh == null ? NO_MESH : mesh;
  }

  @Override
  public List<String> topics() {
    List<String> out = new ArrayList<>(mesh.subscribed());
    Projections p = projections.get();
    if (p != null) {
      for (TopicStats t : p.topics()) {
        if (!out.contains(t.topic())) {
          out.add(t.topic());
        }
      }
    }
    return out;
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
      return Optional.of(new TopicInfo(topic, true, meshPeers, 0, -1, -1, -1, 0, 0));
    }
    TopicStats s = stats.get();
    return Optional.of(
        new TopicInfo(
            topic,
            subscribed,
            meshPeers,
            s.messages(),
            s.lastMessageNanos() == 0 ? -1 : s.lastMessageNanos() / 1_000_000,
            millis(s.latency(), 0.50),
            millis(s.latency(), 0.99),
            s.duplicates(),
            s.rejects()));
  }

  private static double millis(LatencyHistogram h, double q) {
    long nanos = h == null ? -1 : h.quantileUpperBoundNanos(q);
    return nanos < 0 ? -1 : nanos / 1e6;
  }
}
