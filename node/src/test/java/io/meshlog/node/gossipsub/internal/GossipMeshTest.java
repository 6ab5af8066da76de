package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.p2p.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GossipMeshTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config = GossipsubConfig.builder().build();

  @Test
  void shouldDeliverEveryMessageExactlyOnceToEverySubscriberOfA24NodeMesh() {
    SimNetwork net = new SimNetwork(config, 42);
    List<SimNetwork.Node> nodes = net.addNodes(24);
    net.connectRandomly(nodes, 6);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(5);

    List<byte[]> ids = publishFromRandomNodes(net, nodes, 30);

    for (SimNetwork.Node n : nodes) {
      Map<String, Integer> counts = countById(n.delivered);
      int own = 0;
      for (byte[] id : ids) {
        int got = counts.getOrDefault(hex(id), 0);
        if (isOwn(n, id)) {
          own++;
          assertThat(got).as("own message is not echoed back").isZero();
        } else {
          assertThat(got).as("copies of %s at %s", hex(id), n.key).isEqualTo(1);
        }
      }
      assertThat(n.count(EventType.DELIVER_MESSAGE)).isEqualTo(ids.size() - own);
      assertThat(n.count(EventType.PUBLISH_MESSAGE)).isEqualTo(own);
      assertThat(deliveries(n)).allSatisfy(e -> assertThat(e.via()).isNotEqualTo(Via.UNKNOWN));
    }
    assertThat(nodes.stream().flatMap(n -> deliveries(n).stream()))
        .as("mesh pushes")
        .anySatisfy(e -> assertThat(e.via()).isEqualTo(Via.MESH));
  }

  private static List<Event> deliveries(SimNetwork.Node n) {
    return n.events.stream().filter(e -> e.type() == EventType.DELIVER_MESSAGE).toList();
  }

  @Test
  void shouldDeliverExactlyOnceOverLinksOfEveryProtocolVersion() {
    SimNetwork net = new SimNetwork(config, 99);
    net.protocols =
        List.of(
            GossipRouter.MESHSUB_V12,
            GossipRouter.MESHSUB_V11,
            GossipRouter.MESHSUB_V10,
            GossipRouter.FLOODSUB);
    List<SimNetwork.Node> nodes = net.addNodes(24);
    net.connectRandomly(nodes, 6);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(5);

    List<byte[]> ids = publishFromRandomNodes(net, nodes, 20);
    for (SimNetwork.Node n : nodes) {
      Map<String, Integer> counts = countById(n.delivered);
      for (byte[] id : ids) {
        if (!isOwn(n, id)) {
          assertThat(counts.getOrDefault(hex(id), 0)).as("copies at %s", n.key).isEqualTo(1);
        }
      }
      assertThat(n.counters.get(io.meshlog.node.gossipsub.GossipCounter.RPC_REJECTED)).isZero();
    }
  }

  @Test
  void shouldKeepMeshDegreesWithinBoundsAndSymmetricAfterHeartbeats() {
    SimNetwork net = new SimNetwork(config, 7);
    List<SimNetwork.Node> nodes = net.addNodes(30);
    net.connectRandomly(nodes, 10);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    // Joining all at once, some nodes are refused by full meshes and pruned from oversubscribed
    // ones, and must wait out the prune backoff before grafting those peers again. After it, every
    // mesh is within bounds and stays there.
    int settle = (int) (config.pruneBackoff().toNanos() / config.heartbeatInterval().toNanos()) + 5;
    net.heartbeats(settle);
    for (int beat = 0; beat < 20; beat++) {
      net.heartbeat();
      for (SimNetwork.Node n : nodes) {
        assertThat(n.router.meshPeers(TOPIC).size())
            .as("mesh degree of %s at heartbeat %d", n.key, settle + beat)
            .isBetween(config.dLo(), config.dHi());
      }
    }

    for (SimNetwork.Node n : nodes) {
      for (PeerId k : n.router.meshPeers(TOPIC)) {
        assertThat(net.nodes.get(k).router.meshPeers(TOPIC))
            .as("mesh link %s -> %s is symmetric", n.key, k)
            .contains(n.key);
      }
    }
    assertThat(nodes.get(0).count(EventType.GRAFT)).isPositive();
    assertThat(nodes.get(0).count(EventType.JOIN)).isEqualTo(1);
    assertThat(nodes.get(0).count(EventType.PEER_SUBSCRIBED))
        .isEqualTo(nodes.get(0).router.peers().size());
  }

  @Test
  void shouldMoveMeshDegreesToNewBoundsChangedAtRunTime() {
    SimNetwork net = new SimNetwork(config, 17);
    List<SimNetwork.Node> nodes = net.addNodes(24);
    net.connectRandomly(nodes, 14);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(5);
    GossipsubConfig wider = config.toBuilder().d(8).dLo(6).dHi(12).dScore(4).dOut(2).build();
    nodes.forEach(n -> n.router.reconfigure(wider));
    int settle = (int) (config.pruneBackoff().toNanos() / config.heartbeatInterval().toNanos()) + 5;
    net.heartbeats(settle);
    for (SimNetwork.Node n : nodes) {
      assertThat(n.router.meshPeers(TOPIC).size())
          .as("mesh degree of %s", n.key)
          .isBetween(wider.dLo(), wider.dHi());
      assertThat(n.router.config().d()).isEqualTo(8);
    }
  }

  @Test
  void shouldServeALateJoinerAndSurviveALeaver() {
    SimNetwork net = new SimNetwork(config, 3);
    List<SimNetwork.Node> nodes = net.addNodes(20);
    net.connectRandomly(nodes, 6);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(3);

    // A leaver: unsubscribes, then disconnects from everyone.
    SimNetwork.Node leaver = nodes.get(5);
    leaver.router.unsubscribe(TOPIC, net.now);
    net.drain();
    assertThat(leaver.count(EventType.LEAVE)).isEqualTo(1);
    for (SimNetwork.Node n : nodes) {
      assertThat(n.router.meshPeers(TOPIC)).doesNotContain(leaver.key);
    }
    for (PeerId k : new ArrayList<>(leaver.router.peers())) {
      net.disconnect(leaver, net.nodes.get(k));
    }
    net.nodes.remove(leaver.key);
    List<SimNetwork.Node> rest = new ArrayList<>(nodes);
    rest.remove(leaver);

    // A late joiner connects to a few nodes and subscribes.
    SimNetwork.Node late = net.addNode();
    for (int i = 0; i < 6; i++) {
      net.connect(late, rest.get(i * 3));
    }
    net.drain();
    late.router.subscribe(TOPIC, net.now);
    net.drain();
    net.heartbeats(3);
    rest.add(late);

    for (SimNetwork.Node n : rest) {
      assertThat(n.router.meshPeers(TOPIC).size()).isBetween(config.dLo(), config.dHi());
    }
    List<byte[]> ids = publishFromRandomNodes(net, rest, 10);
    for (SimNetwork.Node n : rest) {
      Map<String, Integer> counts = countById(n.delivered);
      for (byte[] id : ids) {
        if (!isOwn(n, id)) {
          assertThat(counts.getOrDefault(hex(id), 0)).isEqualTo(1);
        }
      }
    }
    assertThat(leaver.delivered).isEmpty();
  }

  @Test
  void shouldReachNonSubscribersTopicThroughFanoutAndGossipToLatePeers() {
    SimNetwork net = new SimNetwork(config.toBuilder().floodPublish(false).build(), 11);
    List<SimNetwork.Node> nodes = net.addNodes(12);
    net.connectRandomly(nodes, 6);
    List<SimNetwork.Node> subscribers = nodes.subList(1, nodes.size());
    subscribers.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(3);

    SimNetwork.Node publisher = nodes.get(0);
    byte[] id = publisher.router.publish(TOPIC, "hello".getBytes(StandardCharsets.UTF_8), net.now);
    net.drain();
    assertThat(publisher.router.fanoutPeers(TOPIC)).hasSize(config.d());
    for (SimNetwork.Node n : subscribers) {
      assertThat(countById(n.delivered).get(hex(id))).isEqualTo(1);
    }
    // The publisher is in no subscriber's mesh: its fanout pushes arrive as flood.
    assertThat(subscribers.stream().flatMap(n -> deliveries(n).stream()))
        .anySatisfy(e -> assertThat(e.via()).isEqualTo(Via.FLOOD));
    // After the fanout TTL without publishing, the fanout is forgotten.
    net.heartbeats((int) (config.fanoutTtl().toSeconds() + 2));
    assertThat(publisher.router.fanoutPeers(TOPIC)).isEmpty();
  }

  @Test
  void shouldFillGapsThroughIHaveAndIWant() {
    // No flood publishing and a mesh degree of 1: a message reaches most nodes through gossip.
    GossipsubConfig sparse =
        config.toBuilder()
            .d(1)
            .dLo(1)
            .dHi(1)
            .dScore(0)
            .dOut(0)
            .dLazy(6)
            .floodPublish(false)
            .build();
    SimNetwork net = new SimNetwork(sparse, 5);
    List<SimNetwork.Node> nodes = net.addNodes(10);
    net.connectRandomly(nodes, 4);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(3);
    List<byte[]> ids = publishFromRandomNodes(net, nodes, 5);
    net.heartbeats(sparse.historyGossip() + 1);

    long iwants = 0;
    for (SimNetwork.Node n : nodes) {
      Map<String, Integer> counts = countById(n.delivered);
      for (byte[] id : ids) {
        if (!isOwn(n, id)) {
          assertThat(counts.getOrDefault(hex(id), 0)).as("delivered at %s", n.key).isEqualTo(1);
        }
      }
      iwants += n.counters.get(io.meshlog.node.gossipsub.GossipCounter.IWANT_RECEIVED);
    }
    assertThat(iwants).as("some messages travelled by IWANT").isPositive();
    List<Event> delivered = nodes.stream().flatMap(n -> deliveries(n).stream()).toList();
    assertThat(delivered).anySatisfy(e -> assertThat(e.via()).isEqualTo(Via.IWANT));
    assertThat(delivered).allSatisfy(e -> assertThat(e.via()).isNotEqualTo(Via.UNKNOWN));
    // Each IWANT answer follows an IWANT this node sent to that peer, listed in a SEND_RPC.
    for (SimNetwork.Node n : nodes) {
      for (Event d : deliveries(n)) {
        if (d.via() == Via.IWANT) {
          assertThat(n.events)
              .filteredOn(e -> e.type() == EventType.SEND_RPC && e.rpcCount(RpcPart.IWANT) > 0)
              .anySatisfy(
                  e -> {
                    assertThat(e.peer()).containsExactly(d.peer());
                    assertThat(listed(e, RpcPart.IWANT)).contains(hex(d.messageId()));
                  });
        }
      }
    }
  }

  private static List<String> listed(Event e, RpcPart part) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < e.rpcIdCount(); i++) {
      if (e.rpcIdPart(i) == part) {
        ids.add(hex(e.rpcId(i)));
      }
    }
    return ids;
  }

  @Test
  void shouldJournalRpcPartCountsForSentAndReceivedRpcs() {
    SimNetwork net = new SimNetwork(config, 9);
    List<SimNetwork.Node> nodes = net.addNodes(3);
    net.connect(nodes.get(0), nodes.get(1));
    net.connect(nodes.get(1), nodes.get(2));
    nodes.get(0).router.subscribe(TOPIC, net.now);
    nodes.get(2).router.subscribe(TOPIC, net.now);
    net.drain();
    // Node 1 joins knowing both neighbours are in the topic: it grafts them at once.
    nodes.get(1).router.subscribe(TOPIC, net.now);
    net.drain();
    List<Event> sent =
        nodes.get(1).events.stream().filter(e -> e.type() == EventType.SEND_RPC).toList();
    assertThat(sent).isNotEmpty();
    assertThat(sent).anySatisfy(e -> assertThat(e.rpcCount(RpcPart.GRAFT)).isEqualTo(1));
    assertThat(sent).allSatisfy(e -> assertThat(e.text()).isNull());
    assertThat(nodes.get(1).events.stream().filter(e -> e.type() == EventType.RECV_RPC))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.hasRpcCounts()).isTrue());
  }

  private static List<byte[]> publishFromRandomNodes(
      SimNetwork net, List<SimNetwork.Node> nodes, int count) {
    List<byte[]> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SimNetwork.Node from = nodes.get(net.random.nextInt(nodes.size()));
      ids.add(from.router.publish(TOPIC, ("m" + i).getBytes(StandardCharsets.UTF_8), net.now));
      net.drain();
      if (i % 7 == 0) {
        net.heartbeat();
      }
    }
    return ids;
  }

  private static boolean isOwn(SimNetwork.Node n, byte[] id) {
    byte[] key = n.signer.publicKeyProtobuf();
    return id.length >= key.length && Arrays.equals(Arrays.copyOf(id, key.length), key);
  }

  private static Map<String, Integer> countById(List<GossipMessage> delivered) {
    Map<String, Integer> counts = new HashMap<>();
    for (GossipMessage m : delivered) {
      counts.merge(hex(m.id()), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void shouldRejoinAfterLeavingWithoutGraftingIntoThePeersStillRunningBackoff() {
    GossipsubConfig c = leaveRejoinConfig(java.time.Duration.ofSeconds(1));
    SimNetwork sim = new SimNetwork(c, 5);
    SimNetwork.Node a = sim.addNode();
    SimNetwork.Node b = sim.addNode();
    meshPair(sim, a, b);

    // a leaves; its PRUNE reaches b 50 ms later, so b's backoff for a ends 50 ms after a's.
    long left = sim.now;
    a.router.unsubscribe(TOPIC, left);
    sim.now += 50_000_000L;
    sim.drain();
    a.router.subscribe(TOPIC, sim.now);
    sim.drain();
    // The next heartbeat falls between the end of a's backoff and the end of b's.
    sim.now = left + 1_010_000_000L - c.heartbeatInterval().toNanos();
    sim.heartbeats(6);

    assertThat(b.counters.get(GossipCounter.GRAFT_REFUSED)).isZero();
    assertThat(b.counters.get(GossipCounter.BEHAVIOUR_PENALTIES)).isZero();
    assertThat(a.router.meshPeers(TOPIC)).contains(b.key);
    assertThat(b.router.meshPeers(TOPIC)).contains(a.key);
  }

  @Test
  void shouldReformTheMeshAfterLeavingAndRejoiningAtOnce() {
    SimNetwork sim = new SimNetwork(leaveRejoinConfig(java.time.Duration.ofMillis(100)), 6);
    SimNetwork.Node a = sim.addNode();
    SimNetwork.Node b = sim.addNode();
    meshPair(sim, a, b);

    // As on the router thread, where both calls can fall in one batch of inputs.
    a.router.batching(true);
    a.router.unsubscribe(TOPIC, sim.now);
    a.router.subscribe(TOPIC, sim.now);
    a.router.flush();
    a.router.batching(false);
    // b's heartbeat may run between any two of a's RPCs: at no point may it graft a back.
    while (!sim.queue.isEmpty()) {
      SimNetwork.Packet p = sim.queue.poll();
      sim.nodes.get(p.to()).router.onRpc(p.from(), p.bytes(), sim.now);
      b.router.heartbeat(sim.now);
      assertThat(b.router.meshPeers(TOPIC)).doesNotContain(a.key);
    }
    sim.drain();
    sim.heartbeats(30); // 3 s: past the 1 s backoff and its slack

    assertThat(a.router.meshPeers(TOPIC)).contains(b.key);
    assertThat(b.router.meshPeers(TOPIC)).contains(a.key);
  }

  /** A 1 s unsubscribe backoff, so leave-and-rejoin tests run in a few simulated seconds. */
  private static GossipsubConfig leaveRejoinConfig(java.time.Duration heartbeat) {
    return GossipsubConfig.builder()
        .heartbeatInterval(heartbeat)
        .unsubscribeBackoff(java.time.Duration.ofSeconds(1))
        .build();
  }

  /** Connects two routers, subscribes both to TOPIC and waits until each has the other in mesh. */
  private static void meshPair(SimNetwork sim, SimNetwork.Node a, SimNetwork.Node b) {
    sim.connect(a, b);
    a.router.subscribe(TOPIC, sim.now);
    b.router.subscribe(TOPIC, sim.now);
    sim.drain();
    sim.heartbeats(3);
    assertThat(a.router.meshPeers(TOPIC)).contains(b.key);
    assertThat(b.router.meshPeers(TOPIC)).contains(a.key);
  }

  static String hex(byte[] b) {
    return new MessageId(b).toString();
  }
}
