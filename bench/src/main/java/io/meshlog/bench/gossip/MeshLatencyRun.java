package io.meshlog.bench.gossip;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One propagation-latency run of {@link GossipBenchmark#meshLatency}: {@code nodes} hosts with
 * chat-default gossipsub in this JVM, each dialling its ring successor and a few random others (so
 * the graph is connected), meshes formed, then messages published at a fixed total rate from
 * publishers taken in turn. Each payload carries its index and the publisher's {@link
 * System#nanoTime()}; every receiving node records publish -> deliver on the same clock.
 *
 * <p>Design note: one latency array shared by all nodes, filled through one atomic cursor, so a
 * delivery costs one atomic increment and one store; each node's exactly-once table is written only
 * by that node's router thread. Single use: not thread-safe beyond that.
 */
final class MeshLatencyRun {
  private static final String TOPIC = "bench-mesh";
  private static final int HEADER = Integer.BYTES + Long.BYTES;

  private final GossipBenchmark.MeshSettings s;
  private final int messages;
  private final long[] latencies;
  private final AtomicInteger deliveries = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final byte[][] seen;

  MeshLatencyRun(GossipBenchmark.MeshSettings s) {
    this.s = s;
    this.messages = s.messagesPerSec() * s.seconds();
    this.latencies = new long[messages * (s.nodes() - 1)];
    this.seen = new byte[s.nodes()][messages];
  }

  GossipBenchmark.MeshFigures run() throws Exception {
    GossipsubConfig config = GossipsubConfig.builder().build(); // chat defaults: D=4, 3..6
    // One I/O thread per host: 20 hosts share 2 cores, more threads only add switching.
    HostConfig hostConfig = HostConfig.builder().ioThreads(1).build();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      Host[] hosts = new Host[s.nodes()];
      Gossipsub[] services = new Gossipsub[s.nodes()];
      PeerId[] ids = new PeerId[s.nodes()];
      for (int n = 0; n < s.nodes(); n++) {
        Identity id = Identity.generate();
        ids[n] = id.peerId();
        hosts[n] = Hosts.start(hostConfig, id, EventSink.NOOP);
        open.add(hosts[n]);
        int node = n;
        services[n] =
            Gossipsubs.start(hosts[n], id, config, (from, m) -> onDeliver(node, m), EventSink.NOOP);
        open.add(services[n]);
        services[n].subscribe(TOPIC);
      }
      connect(hosts);
      awaitMeshes(services, ids, config.dLo());
      byte[] payload = new byte[Math.max(HEADER, s.messageBytes())];
      long intervalNanos = 1_000_000_000L / s.messagesPerSec();
      long started = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        long due = started + i * intervalNanos;
        long now;
        while ((now = System.nanoTime()) < due) {
          LockSupport.parkNanos(due - now);
        }
        byte[] data = payload.clone();
        ByteBuffer.wrap(data).putInt(0, i).putLong(Integer.BYTES, System.nanoTime());
        services[i % s.nodes()].publish(TOPIC, data);
      }
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      awaitDeliveries();
      double allDeliveredSeconds = (System.nanoTime() - started) / 1e9;
      check();
      long[] sorted = Arrays.copyOf(latencies, deliveries.get());
      Arrays.sort(sorted);
      return new GossipBenchmark.MeshFigures(
          s.nodes(),
          messages,
          sorted.length,
          messages / publishSeconds,
          messages / allDeliveredSeconds,
          percentileMs(sorted, 0.50),
          percentileMs(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6);
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  /** Router thread of {@code node}. */
  private void onDeliver(int node, GossipMessage m) {
    long now = System.nanoTime();
    ByteBuffer b = ByteBuffer.wrap(m.data());
    int i = b.getInt(0);
    if (seen[node][i]++ != 0) {
      duplicates.incrementAndGet();
      return;
    }
    int slot = deliveries.getAndIncrement();
    if (slot < latencies.length) {
      latencies[slot] = now - b.getLong(Integer.BYTES);
    }
  }

  /**
   * Ring edges (connected whatever the random picks) plus random chords, each pair dialled once.
   */
  private void connect(Host[] hosts) throws Exception {
    int n = hosts.length;
    Random random = new Random(s.seed());
    Set<Long> edges = new HashSet<>();
    List<int[]> dials = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      addEdge(edges, dials, a, (a + 1) % n);
      int added = 1;
      for (int tries = 0; added < s.dialsPerNode() && tries < 100; tries++) {
        if (addEdge(edges, dials, a, random.nextInt(n))) {
          added++;
        }
      }
    }
    for (int[] d : dials) {
      hosts[d[0]].dial(hosts[d[1]].listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean addEdge(Set<Long> edges, List<int[]> dials, int a, int b) {
    if (a == b || !edges.add((long) Math.min(a, b) << 32 | Math.max(a, b))) {
      return false;
    }
    dials.add(new int[] {a, b});
    return true;
  }

  /** Until every node has at least D_lo mesh peers and the mesh graph is connected. */
  private static void awaitMeshes(Gossipsub[] services, PeerId[] ids, int dLo) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      Map<PeerId, Set<PeerId>> mesh = new HashMap<>();
      int thin = 0;
      for (int n = 0; n < services.length; n++) {
        Set<PeerId> peers = services[n].meshPeers(TOPIC).get(5, TimeUnit.SECONDS);
        mesh.put(ids[n], peers);
        if (peers.size() < dLo) {
          thin++;
        }
      }
      int reached = reachable(mesh, ids[0]);
      if (thin == 0 && reached == ids.length) {
        return;
      }
      last = thin + " nodes below D_lo, " + reached + " of " + ids.length + " reachable";
      Thread.sleep(100); // polling the condition above, one heartbeat is 1 s
    }
    throw new IllegalStateException("meshes did not form in 30 s: " + last);
  }

  private static int reachable(Map<PeerId, Set<PeerId>> mesh, PeerId from) {
    Set<PeerId> seen = new HashSet<>();
    Deque<PeerId> todo = new ArrayDeque<>();
    todo.add(from);
    seen.add(from);
    while (!todo.isEmpty()) {
      for (PeerId p : mesh.getOrDefault(todo.poll(), Set.of())) {
        if (seen.add(p)) {
          todo.add(p);
        }
      }
    }
    return seen.size();
  }

  /** Until every expected delivery arrived; fails after 30 s without progress. */
  private void awaitDeliveries() {
    int last = deliveries.get();
    long lastProgress = System.nanoTime();
    while (deliveries.get() < latencies.length) {
      LockSupport.parkNanos(1_000_000);
      int now = deliveries.get();
      if (now != last) {
        last = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
        break; // check() says what is missing
      }
    }
  }

  /** Every node but the publisher delivered every message exactly once. */
  private void check() {
    int missing = 0;
    for (int n = 0; n < seen.length; n++) {
      for (int i = 0; i < messages; i++) {
        boolean publisher = i % seen.length == n;
        if (!publisher && seen[n][i] == 0) {
          missing++;
        } else if (publisher && seen[n][i] != 0) {
          duplicates.incrementAndGet(); // own publication echoed back
        }
      }
    }
    if (missing != 0 || duplicates.get() != 0 || deliveries.get() != latencies.length) {
      throw new IllegalStateException(
          "mesh run: "
              + deliveries.get()
              + " of "
              + latencies.length
              + " deliveries, "
              + missing
              + " missing, "
              + duplicates.get()
              + " duplicated");
    }
  }

  private static double percentileMs(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, rank)] / 1e6;
  }
}
