package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.PeersView;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.Reconnector;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GraylistState;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.PeerId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The {@link PeersView} of a running {@link Host}: one row per connected peer (its first
 * connection), with identify and ping results from the host, topics from the {@link LiveMeshState},
 * the score from the router (the last journaled SCORE_SNAPSHOT when there is no router or it does
 * not answer within {@link #SCORE_WAIT}), and message and byte counts from the projections.
 *
 * <p>Reachability is the scope of the address the peer was reached at ("loopback", "private",
 * "public"; "relayed" through a circuit): the host runs no AutoNAT, so this is as far as it knows.
 *
 * <p>Thread-safe.
 */
public final class HostPeersView implements PeersView {

  /** How long one table read waits for the router's scores, all peers together. */
  public static final Duration SCORE_WAIT = Duration.ofMillis(500);

  private final Host host;
  private final Gossipsub gossipsub;
  private final LiveMeshState mesh;
  private final Supplier<Projections> projections;
  private final Reconnector reconnects;

  /** Without a router: scores are the last journaled SCORE_SNAPSHOT. */
  public HostPeersView(Host host, LiveMeshState mesh, Supplier<Projections> projections) {
    this(host, null, mesh, projections);
  }

  /**
   * @param gossipsub the router, for live scores; may be null
   * @param projections may supply null; counts then read 0
   */
  public HostPeersView(
      Host host, Gossipsub gossipsub, LiveMeshState mesh, Supplier<Projections> projections) {
    this(host, gossipsub, mesh, projections, null);
  }

  /**
   * @param reconnects the node's peer registry and redials, for the failure streak, next dial and
   *     address source columns; may be null (then 0 and empty)
   */
  public HostPeersView(
      Host host,
      Gossipsub gossipsub,
      LiveMeshState mesh,
      Supplier<Projections> projections,
      Reconnector reconnects) {
    this.host = host;
    this.gossipsub = gossipsub;
    this.mesh = mesh;
    this.projections = projections;
    this.reconnects = reconnects;
  }

  @Override
  public List<PeerInfo> peers() {
    List<ConnectionInfo> connections = new ArrayList<>();
    Set<PeerId> seen = new HashSet<>();
    for (ConnectionInfo c : host.connections()) {
      if (seen.add(c.peer())) {
        connections.add(c);
      }
    }
    // Ask the router for every score at once; it answers them in one pass of its queue.
    Map<PeerId, CompletableFuture<Double>> scores = new HashMap<>();
    if (gossipsub != null) {
      for (ConnectionInfo c : connections) {
        scores.put(c.peer(), gossipsub.score(c.peer()));
      }
    }
    CompletableFuture<Map<PeerId, GraylistState>> graylisting =
        gossipsub == null ? null : gossipsub.graylisted();
    long deadline = System.nanoTime() + SCORE_WAIT.toNanos();
    Map<PeerId, GraylistState> graylisted = answer(graylisting, deadline);
    List<PeerInfo> out = new ArrayList<>();
    Projections p = projections.get();
    for (ConnectionInfo c : connections) {
      String id = c.peer().toBase58();
      String address = c.remoteAddress() == null ? "" : c.remoteAddress().toString();
      boolean relayed = address.contains("/p2p-circuit");
      Optional<PeerStats> stats = p == null ? Optional.empty() : p.peer(c.peer().bytes());
      Reconnector.PeerState state = reconnects == null ? null : reconnects.state(c.peer());
      out.add(
          new PeerInfo(
              id,
              c.direction() == Direction.INBOUND ? "inbound" : "outbound",
              relayed ? "relayed" : "direct",
              address,
              c.lastRtt() == null ? -1 : c.lastRtt().toNanos() / 1e6,
              relayed ? "relayed" : scope(c),
              c.agentVersion() == null ? "" : c.agentVersion(),
              score(scores.get(c.peer()), deadline, id),
              mesh.topicsOf(id),
              stats.map(PeerStats::messagesIn).orElse(0L),
              stats.map(PeerStats::messagesOut).orElse(0L),
              stats.map(PeerStats::bytesIn).orElse(0L),
              stats.map(PeerStats::bytesOut).orElse(0L),
              stats.map(PeerStats::duplicates).orElse(0L),
              describe(graylisted.get(c.peer())),
              state == null ? 0 : state.failureStreak(),
              state == null || state.nextDialAtNanos() < 0
                  ? ""
                  : java.time.Instant.ofEpochSecond(0, state.nextDialAtNanos())
                      .truncatedTo(ChronoUnit.MILLIS)
                      .toString(),
              source(c, state)));
    }
    // A mesh peer being redialled has no connection, and is what reconnection debugging is about.
    if (reconnects != null) {
      for (Reconnector.Plan plan : reconnects.plans()) {
        if (seen.add(plan.peer())) {
          out.add(redialled(plan, reconnects.state(plan.peer()), p));
        }
      }
    }
    return out;
  }

  /** The row of a peer without a connection whose redial is planned: connectionType "none". */
  private PeerInfo redialled(Reconnector.Plan plan, Reconnector.PeerState state, Projections p) {
    String id = plan.peer().toBase58();
    Optional<PeerStats> stats = p == null ? Optional.empty() : p.peer(plan.peer().bytes());
    return new PeerInfo(
        id,
        "",
        NOT_CONNECTED,
        "",
        -1,
        "unknown",
        "",
        mesh.score(id),
        mesh.topicsOf(id),
        stats.map(PeerStats::messagesIn).orElse(0L),
        stats.map(PeerStats::messagesOut).orElse(0L),
        stats.map(PeerStats::bytesIn).orElse(0L),
        stats.map(PeerStats::bytesOut).orElse(0L),
        stats.map(PeerStats::duplicates).orElse(0L),
        "",
        state == null ? 0 : state.failureStreak(),
        java.time.Instant.ofEpochSecond(0, plan.nextDialAtNanos())
            .truncatedTo(ChronoUnit.MILLIS)
            .toString(),
        state == null ? "" : state.sources());
  }

  /** The connectionType of a row whose peer is being redialled, not connected. */
  public static final String NOT_CONNECTED = PeerInfo.NOT_CONNECTED;

  /** The source of the address the connection uses, else every source known; inbound: so. */
  private static String source(ConnectionInfo c, Reconnector.PeerState state) {
    if (state != null && c.remoteAddress() != null) {
      PeerRegistry.Source s = state.addressSources().get(c.remoteAddress().withoutPeerId());
      if (s != null) {
        return s.label();
      }
    }
    if (state != null && !state.sources().isEmpty()) {
      return state.sources();
    }
    return c.direction() == Direction.INBOUND ? PeerRegistry.Source.INBOUND.label() : "";
  }

  @Override
  public Map<String, String> graylisted() {
    if (gossipsub == null) {
      return Map.of();
    }
    Map<PeerId, GraylistState> now =
        answer(gossipsub.graylisted(), System.nanoTime() + SCORE_WAIT.toNanos());
    Map<String, String> out = new HashMap<>();
    now.forEach((peer, g) -> out.put(peer.toBase58(), describe(g)));
    return out;
  }

  /** {@code "since <ISO time>, score -2,560 = P6 -2,560"}, empty for null. */
  static String describe(GraylistState g) {
    return g == null
        ? ""
        : "since " + g.since().truncatedTo(ChronoUnit.MILLIS) + ", " + g.breakdown();
  }

  /** The router's answer by {@code deadline}; a busy or stopped router: none graylisted known. */
  private static Map<PeerId, GraylistState> answer(
      CompletableFuture<Map<PeerId, GraylistState>> live, long deadline) {
    if (live != null) {
      try {
        return live.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // fall through: the column stays empty rather than failing the whole table
      }
    }
    return Map.of();
  }

  private double score(CompletableFuture<Double> live, long deadline, String id) {
    if (live != null) {
      try {
        return live.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // A busy or stopped router: the journaled snapshot is the best left.
      }
    }
    return mesh.score(id);
  }

  private static String scope(ConnectionInfo c) {
    String host;
    try {
      host = c.remoteAddress().host();
    } catch (RuntimeException e) {
      return "unknown";
    }
    // Only IP literals: a dns name here would mean a lookup on a console's thread.
    if (!host.matches("[0-9.]+") && host.indexOf(':') < 0) {
      return "unknown";
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return "unknown";
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
      return "private";
    }
    return "public";
  }
}
