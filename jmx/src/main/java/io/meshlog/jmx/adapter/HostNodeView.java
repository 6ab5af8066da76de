package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.NodeView;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The {@link NodeView} of a running {@link MeshlogNode}: its host and gossipsub router. Operations
 * wait up to {@code timeout} for the node and fail with the reason; they run on console threads.
 *
 * <p>{@code publish} goes through {@link MeshlogNode#publish}, as every other caller's does, so a
 * message an operator publishes from a console carries a Lamport envelope like the node's own.
 *
 * <p>{@code reconnectMesh()} leaves and rejoins every subscribed topic, so the router prunes every
 * mesh peer and grafts afresh from the connected peers at its next heartbeat.
 *
 * <p>Thread-safe.
 */
public final class HostNodeView implements NodeView {

  private final Host host;
  private final Gossipsub gossipsub;
  private final BiFunction<String, byte[], CompletableFuture<byte[]>> publisher;

  /**
   * What {@link #publish} answers, before the topic, for a message held until a peer subscribes.
   */
  public static final String PENDING_PREFIX = "pending: no peer subscribed to ";

  private final LiveMeshState mesh;
  private final String agentVersion;
  private final Instant startedAt;
  private final Supplier<Health> health;
  private final Duration timeout;
  private final java.util.function.BooleanSupplier sequencerReachable;
  private java.util.function.Predicate<String> heldPending = topic -> false;

  /**
   * The view of {@code node}.
   *
   * @param mesh the journal-fed mesh state, for the subscribed topics
   * @param health the node's health, usually the event log's
   * @param timeout how long an operation waits for the node
   */
  public HostNodeView(
      MeshlogNode node, LiveMeshState mesh, Supplier<Health> health, Duration timeout) {
    this(
        node.host(),
        node.gossipsub(),
        node::publish,
        mesh,
        node.config().host().agentVersion(),
        node.startedAt(),
        health,
        timeout,
        node::sequencerReachable);
    this.heldPending = node::holdsPending;
  }

  /**
   * The view of a bare host and router, publishing data as given, with no envelope: for tests of
   * the beans over parts of a node.
   *
   * @param gossipsub the router, or null for a node without gossip (publishing then refuses)
   * @param mesh the journal-fed mesh state, for the subscribed topics
   * @param health the node's health, usually the event log's
   * @param timeout how long an operation waits for the node
   */
  HostNodeView(
      Host host,
      Gossipsub gossipsub,
      LiveMeshState mesh,
      String agentVersion,
      Instant startedAt,
      Supplier<Health> health,
      Duration timeout) {
    this(
        host,
        gossipsub,
        gossipsub == null ? null : gossipsub::publish,
        mesh,
        agentVersion,
        startedAt,
        health,
        timeout,
        () -> false);
  }

  private HostNodeView(
      Host host,
      Gossipsub gossipsub,
      BiFunction<String, byte[], CompletableFuture<byte[]>> publisher,
      LiveMeshState mesh,
      String agentVersion,
      Instant startedAt,
      Supplier<Health> health,
      Duration timeout,
      java.util.function.BooleanSupplier sequencerReachable) {
    this.host = host;
    this.sequencerReachable = sequencerReachable;
    this.publisher = publisher;
    this.gossipsub = gossipsub;
    this.mesh = mesh;
    this.agentVersion = agentVersion;
    this.startedAt = startedAt;
    this.health = health;
    this.timeout = timeout;
  }

  @Override
  public String peerId() {
    return host.peerId().toBase58();
  }

  @Override
  public List<String> listenAddresses() {
    List<String> out = new ArrayList<>();
    for (Multiaddr a : host.listenAddresses()) {
      out.add(a.toString());
    }
    return out;
  }

  @Override
  public String agentVersion() {
    return agentVersion;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Health health() {
    return health.get();
  }

  @Override
  public boolean sequencerReachable() {
    return sequencerReachable.getAsBoolean();
  }

  @Override
  public String publish(String topic, byte[] data) {
    router(); // refuses on a node without gossip
    CompletableFuture<byte[]> sent = publisher.apply(topic, data);
    if (!sent.isDone() && heldPending.test(topic)) {
      // No peer to send it to yet: the node journaled it as MESSAGE_PENDING and sends it when a
      // peer subscribes; its message id exists only then.
      return PENDING_PREFIX
          + topic
          + " yet; journaled as MESSAGE_PENDING, sent when one subscribes";
    }
    byte[] id = Futures.await(sent, timeout, "publish on " + topic);
    return HexFormat.of().formatHex(id);
  }

  @Override
  public Duration ping(String peerId) {
    return Futures.await(host.ping(PeerId.parse(peerId)), timeout, "ping " + peerId);
  }

  @Override
  public void reconnectMesh() {
    Gossipsub router = router();
    for (String topic : mesh.subscribed()) {
      router.unsubscribe(topic);
      router.subscribe(topic);
    }
  }

  @Override
  public String connect(String multiaddr) {
    Connection c =
        Futures.await(host.dial(Multiaddr.parse(multiaddr)), timeout, "connect " + multiaddr);
    return c.remotePeer().toBase58();
  }

  @Override
  public void disconnect(String peerId) {
    Futures.await(host.disconnect(PeerId.parse(peerId)), timeout, "disconnect " + peerId);
  }

  private Gossipsub router() {
    if (gossipsub == null) {
      throw new IllegalStateException("this node runs no gossipsub router");
    }
    return gossipsub;
  }
}
