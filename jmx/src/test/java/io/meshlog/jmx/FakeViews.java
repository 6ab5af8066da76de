package io.meshlog.jmx;

import io.meshlog.jmx.view.EventLogView;
import io.meshlog.jmx.view.GossipControl;
import io.meshlog.jmx.view.GossipParams;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.jmx.view.NodeView;
import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.PeersView;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.jmx.view.TopicsView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** In-memory views whose values the tests set and whose operations the tests observe. */
final class FakeViews implements EventLogView, NodeView, PeersView, TopicsView, GossipControl {

  final AtomicLong appended = new AtomicLong(-1);
  final AtomicLong applied = new AtomicLong(-1);
  final AtomicInteger rebuilds = new AtomicInteger();
  volatile Health journalHealth = Health.OK;
  volatile Health nodeHealth = Health.OK;
  final List<String> published = new CopyOnWriteArrayList<>();
  final List<String> connected = new CopyOnWriteArrayList<>();
  final List<String> disconnected = new CopyOnWriteArrayList<>();
  final AtomicInteger meshResets = new AtomicInteger();
  final Map<String, TopicInfo> topics = new ConcurrentHashMap<>();
  volatile List<PeerInfo> peers = List.of();
  volatile GossipParams params = new GossipParams(6, 4, 12, 6, -10, -50, -80, 10, 3);
  final Instant started = Instant.now().minusSeconds(90);

  MeshlogViews views() {
    return MeshlogViews.none()
        .withEventLog(this)
        .withNode(this)
        .withPeers(this)
        .withTopics(this)
        .withGossip(this);
  }

  @Override
  public long appendedIndex() {
    return appended.get();
  }

  /** What {@link #eventsAppended()} returns; tests replace it with a clock-driven count. */
  volatile LongSupplier events = () -> appended.get() + 1;

  @Override
  public long eventsAppended() {
    return events.getAsLong();
  }

  @Override
  public long ringRemainingCapacity() {
    return 1024;
  }

  @Override
  public long backpressureStalls() {
    return 3;
  }

  @Override
  public long journalSizeBytes() {
    return 4096;
  }

  @Override
  public Health health() {
    return journalHealth.worst(nodeHealth);
  }

  @Override
  public long unshippedCyclesDeleted() {
    return 0;
  }

  @Override
  public long appliedIndex() {
    return applied.get();
  }

  @Override
  public long projectionLag() {
    return appended.get() - applied.get();
  }

  @Override
  public long rebuildProjections() {
    rebuilds.incrementAndGet();
    applied.set(appended.get());
    return applied.get();
  }

  @Override
  public String peerId() {
    return "12D3KooWSelf";
  }

  @Override
  public List<String> listenAddresses() {
    return List.of("/ip4/127.0.0.1/tcp/4001");
  }

  @Override
  public String agentVersion() {
    return "meshlog/test";
  }

  @Override
  public Instant startedAt() {
    return started;
  }

  @Override
  public String publish(String topic, byte[] data) {
    published.add(topic + ":" + new String(data, StandardCharsets.UTF_8));
    return "msg-" + published.size();
  }

  @Override
  public Duration ping(String peerId) {
    if (!peerId.startsWith("12D3")) {
      throw new IllegalArgumentException("not a peer id: " + peerId);
    }
    return Duration.ofMillis(12);
  }

  @Override
  public void reconnectMesh() {
    meshResets.incrementAndGet();
  }

  @Override
  public String connect(String multiaddr) {
    connected.add(multiaddr);
    return "12D3KooWRemote";
  }

  @Override
  public void disconnect(String peerId) {
    disconnected.add(peerId);
  }

  @Override
  public List<PeerInfo> peers() {
    return peers;
  }

  @Override
  public List<String> topics() {
    return List.copyOf(topics.keySet());
  }

  @Override
  public Optional<TopicInfo> topic(String topic) {
    return Optional.ofNullable(topics.get(topic));
  }

  @Override
  public GossipParams params() {
    return params;
  }

  @Override
  public void apply(GossipParams params) {
    this.params = params.validate();
  }
}
