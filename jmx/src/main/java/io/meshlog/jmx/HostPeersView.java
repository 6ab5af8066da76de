package io.meshlog.jmx;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.ConnectionInfo;
import io.meshlog.node.Host;
import io.meshlog.node.PeerId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link PeersView} of a running {@link Host}: one row per connected peer (its first
 * connection), with identify and ping results from the host, topics and score from the {@link
 * LiveMeshState}, and message and byte counts from the projections.
 *
 * <p>Reachability is the scope of the address the peer was reached at ("loopback", "private",
 * "public"; "relayed" through a circuit): the host runs no AutoNAT, so this is as far as it knows.
 *
 * <p>Thread-safe.
 */
public final class HostPeersView implements PeersView {

  private final Host host;
  private final LiveMeshState mesh;
  private final Supplier<Projections> projections;

  /**
   * @param projections may supply null; counts then read 0
   */
  public HostPeersView(Host host, LiveMeshState mesh, Supplier<Projections> projections) {
    this.host = host;
    this.mesh = mesh;
    this.projections = projections;
  }

  @Override
  public List<PeerInfo> peers() {
    List<PeerInfo> out = new ArrayList<>();
    Set<PeerId> seen = new HashSet<>();
    Projections p = projections.get();
    for (ConnectionInfo c : host.connections()) {
      if (!seen.add(c.peer())) {
        continue;
      }
      String id = c.peer().toBase58();
      String address = c.remoteAddress() == null ? "" : c.remoteAddress().toString();
      boolean relayed = address.contains("/p2p-circuit");
      Optional<PeerStats> stats = p == null ? Optional.empty() : p.peer(c.peer().bytes());
      out.add(
          new PeerInfo(
              id,
              c.direction() == Direction.INBOUND ? "inbound" : "outbound",
              relayed ? "relayed" : "direct",
              address,
              c.lastRtt() == null ? -1 : c.lastRtt().toNanos() / 1e6,
              relayed ? "relayed" : scope(c),
              c.agentVersion() == null ? "" : c.agentVersion(),
              mesh.score(id),
              mesh.topicsOf(id),
              stats.map(PeerStats::messagesIn).orElse(0L),
              stats.map(PeerStats::messagesOut).orElse(0L),
              stats.map(PeerStats::bytesIn).orElse(0L),
              stats.map(PeerStats::bytesOut).orElse(0L)));
    }
    return out;
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
