package io.meshlog.node.gossipsub.internal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.gossipsub.Ed25519MessageSigner;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.GossipTransport;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * An in-memory network of gossip routers with deterministic time: RPCs go into one FIFO and are
 * handed over by {@link #drain()}; {@link #heartbeat()} advances time by one heartbeat interval and
 * runs every router's heartbeat. Peers that are not routers ("raw" peers, used to play an attacker)
 * get their RPCs recorded instead.
 */
final class SimNetwork {

  record Packet(PeerId from, PeerId to, byte[] bytes) {}

  /** One router with everything it emitted. */
  static final class Node {
    final PeerId key;
    final Ed25519MessageSigner signer;
    final GossipRouter router;
    final CounterSet<GossipCounter> counters = CounterSet.of(GossipCounter.class);
    final List<Event> events = new ArrayList<>();
    final List<GossipMessage> delivered = new ArrayList<>();

    /** The address other nodes see this one at (null: none, so P6 never counts it). */
    String ip;

    Node(SimNetwork net, GossipsubConfig config, long start) {
      signer = Ed25519MessageSigner.generate();
      key = PeerId.fromBytes(signer.peerId());
      GossipTransport transport =
          new GossipTransport() {
            @Override
            public boolean send(PeerId peer, byte[] rpc) {
              return net.enqueue(key, peer, rpc);
            }
          };
      router =
          new GossipRouter(
              config,
              signer,
              transport,
              (from, m) -> delivered.add(m),
              e -> events.add(new Event().copyFrom(e)),
              counters,
              p -> 0,
              start);
    }

    long count(EventType type) {
      return events.stream().filter(e -> e.type() == type).count();
    }
  }

  final Map<PeerId, Node> nodes = new LinkedHashMap<>();
  final Map<PeerId, List<byte[]>> rawInbox = new HashMap<>();
  final ArrayDeque<Packet> queue = new ArrayDeque<>();
  final GossipsubConfig config;
  final Random random;
  long now = 1_000_000_000_000L;
  int maxQueue = Integer.MAX_VALUE;

  SimNetwork(GossipsubConfig config, long seed) {
    this.config = config;
    this.random = new Random(seed);
  }

  Node addNode() {
    return addNode(config.toBuilder().randomSeed(random.nextLong() | 1).build());
  }

  Node addNode(GossipsubConfig c) {
    Node n = new Node(this, c, now);
    nodes.put(n.key, n);
    return n;
  }

  List<Node> addNodes(int count) {
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(addNode());
    }
    return out;
  }

  PeerId addRawPeer(PeerId key) {
    rawInbox.put(key, new ArrayList<>());
    return key;
  }

  boolean enqueue(PeerId from, PeerId to, byte[] rpc) {
    if (queue.size() >= maxQueue) {
      return false;
    }
    queue.add(new Packet(from, to, rpc));
    return true;
  }

  /** Connects two routers (a dials b) with the given protocol on both sides. */
  void connect(Node a, Node b, String protocol) {
    // Each side sees the other at its address (null unless a test set one).
    a.router.addPeer(b.key, protocol, true, b.ip, now);
    b.router.addPeer(a.key, protocol, false, a.ip, now);
  }

  void connect(Node a, Node b) {
    connect(a, b, GossipRouter.MESHSUB_V11);
  }

  void disconnect(Node a, Node b) {
    a.router.removePeer(b.key, now);
    b.router.removePeer(a.key, now);
    queue.removeIf(
        p ->
            (p.from.equals(a.key) && p.to.equals(b.key))
                || (p.from.equals(b.key) && p.to.equals(a.key)));
  }

  /** Connects {@code nodes} as a ring plus random chords, so each has at least {@code degree}. */
  void connectRandomly(List<Node> list, int degree) {
    int n = list.size();
    for (int i = 0; i < n; i++) {
      connectOnce(list.get(i), list.get((i + 1) % n));
    }
    for (Node a : list) {
      while (a.router.peers().size() < degree) {
        Node b = list.get(random.nextInt(n));
        if (b != a && !a.router.peers().contains(b.key)) {
          connectOnce(a, b);
        }
      }
    }
  }

  private void connectOnce(Node a, Node b) {
    if (!a.router.peers().contains(b.key)) {
      connect(a, b, protocols.get(random.nextInt(protocols.size())));
    }
  }

  /** Protocols links are made with by {@link #connectRandomly}, picked at random per link. */
  List<String> protocols = List.of(GossipRouter.MESHSUB_V11);

  /** Delivers queued RPCs until the network is quiet (bounded, so a livelock fails the test). */
  void drain() {
    int steps = 0;
    while (!queue.isEmpty()) {
      if (++steps > 5_000_000) {
        throw new AssertionError("network did not go quiet");
      }
      Packet p = queue.poll();
      Node to = nodes.get(p.to);
      if (to != null) {
        to.router.onRpc(p.from, p.bytes, now);
      } else if (rawInbox.containsKey(p.to)) {
        rawInbox.get(p.to).add(p.bytes);
      }
    }
  }

  /** Advances time by one heartbeat and runs every router's heartbeat, then drains. */
  void heartbeat() {
    now += config.heartbeatInterval().toNanos();
    for (Node n : nodes.values()) {
      n.router.heartbeat(now);
      drain();
    }
  }

  void heartbeats(int count) {
    for (int i = 0; i < count; i++) {
      heartbeat();
    }
  }

  void forEach(Consumer<Node> action) {
    nodes.values().forEach(action);
  }
}
