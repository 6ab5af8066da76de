package io.meshlog.jmx;

import io.meshlog.jmx.internal.Futures;
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
import java.util.function.Supplier;

/**
 * The {@link NodeView} of a running {@link Host} and its {@link Gossipsub} router. Operations wait
 * up to {@code timeout} for the node and fail with the reason; they run on console threads.
 *
 * <p>{@code reconnectMesh()} leaves and rejoins every subscribed topic, so the router prunes every
 * mesh peer and grafts afresh from the connected peers at its next heartbeat.
 *
 * <p>Thread-safe.
 */
public final class HostNodeView implements NodeView {

  private final Host host;
  private final Gossipsub gossipsub;
  private final LiveMeshState mesh;
  private final String agentVersion;
  private final Instant startedAt;
  private final Supplier<Health> health;
  private final Duration timeout;

  /**
   * @param gossipsub the router, or null for a node without gossip (publishing then refuses)
   * @param mesh the journal-fed mesh state, for the subscribed topics
   * @param health the node's health, usually the event log's
   * @param timeout how long an operation waits for the node
   */
  public HostNodeView(
      Host host,
      Gossipsub gossipsub,
      LiveMeshState mesh,
      String agentVersion,
      Instant startedAt,
      Supplier<Health> health,
      Duration timeout) {
    this.host = host;
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
  public String publish(String topic, byte[] data) {
    byte[] id = Futures.await(router().publish(topic, data), timeout, "publish on " + topic);
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
