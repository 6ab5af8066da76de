package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.EventType;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Attacks from the gossipsub v1.1 evaluation, scaled down to a simulated mesh. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GossipAttackTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config = GossipsubConfig.builder().build();

  static Rpc subscribe() {
    return new Rpc(List.of(new Rpc.SubOpts(true, TOPIC)), List.of(), null);
  }

  private static Rpc control(List<Rpc.IHave> ihave, List<Rpc.IWant> iwant, List<Rpc.Graft> graft) {
    return new Rpc(
        List.of(), List.of(), new Rpc.Control(ihave, iwant, graft, List.of(), List.of()));
  }

  @Test
  void shouldGraylistAPeerSendingInvalidSignaturesAndNotPropagateItsMessages() {
    SimNetwork net = new SimNetwork(config, 1);
    List<SimNetwork.Node> nodes = net.addNodes(10);
    net.connectRandomly(nodes, 5);
    nodes.forEach(n -> n.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(3);
    RawPeer attacker = new RawPeer(net);
    List<SimNetwork.Node> victims = nodes.subList(0, 4);
    victims.forEach(attacker::connect);
    victims.forEach(v -> attacker.send(v, subscribe()));

    for (int i = 0; i < 5; i++) {
      for (SimNetwork.Node v : victims) {
        attacker.send(
            v,
            new Rpc(
                List.of(),
                List.of(attacker.badlySigned(TOPIC, ("spam" + i).getBytes(StandardCharsets.UTF_8))),
                null));
      }
    }
    net.heartbeats(2);

    for (SimNetwork.Node n : nodes) {
      assertThat(n.delivered).as("nothing of the attacker delivered at %s", n.key).isEmpty();
    }
    for (SimNetwork.Node v : victims) {
      assertThat(v.router.score(attacker.key)).isLessThan(config.thresholds().graylistThreshold());
      assertThat(v.counters.get(GossipCounter.RPC_GRAYLISTED))
          .as("later RPCs ignored")
          .isPositive();
      assertThat(v.events)
          .anySatisfy(
              e -> {
                assertThat(e.type()).isEqualTo(EventType.REJECT_MESSAGE);
                assertThat(e.text()).isEqualTo("invalid signature");
              });
      assertThat(v.router.meshPeers(TOPIC)).doesNotContain(attacker.key);
    }
  }

  @Test
  void shouldBoundMemoryAndPenaliseAPeerFloodingIHaveWithoutDelivering() {
    SimNetwork net = new SimNetwork(config, 2);
    SimNetwork.Node victim = net.addNode();
    victim.router.subscribe(TOPIC, net.now);
    RawPeer attacker = new RawPeer(net);
    attacker.connect(victim);
    attacker.send(victim, subscribe());
    Random random = new Random(3);

    int maxPromises = 0;
    for (int beat = 0; beat < 12; beat++) {
      for (int r = 0; r < 30; r++) {
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          byte[] id = new byte[44];
          random.nextBytes(id);
          ids.add(id);
        }
        attacker.send(victim, control(List.of(new Rpc.IHave(TOPIC, ids)), List.of(), List.of()));
      }
      maxPromises = Math.max(maxPromises, victim.router.promiseCount());
      net.heartbeat();
    }

    // Per heartbeat the victim asks for at most maxIHaveLength ids from at most maxIHaveMessages
    // IHAVEs.
    long askedIds = 0;
    for (Rpc rpc : attacker.received()) {
      if (rpc.control() != null) {
        for (Rpc.IWant w : rpc.control().iwant()) {
          askedIds += w.messageIds().size();
        }
      }
    }
    assertThat(askedIds).isLessThanOrEqualTo(12L * config.maxIHaveLength());
    assertThat(victim.counters.get(GossipCounter.IHAVE_IGNORED)).isPositive();
    // Promises live for the follow-up time; at most maxIHaveMessages are made per heartbeat.
    long followupBeats =
        config.iwantFollowupTime().toNanos() / config.heartbeatInterval().toNanos();
    assertThat(maxPromises)
        .isLessThanOrEqualTo(
            (int)
                Math.min(
                    config.maxPromisesPerPeer(), config.maxIHaveMessages() * (followupBeats + 1)));
    assertThat(victim.router.seenSize()).isZero();
    // Broken promises are P7 penalties: the attacker ends up below the gossip threshold.
    assertThat(victim.counters.get(GossipCounter.BROKEN_PROMISES)).isPositive();
    assertThat(victim.router.score(attacker.key)).isLessThan(config.thresholds().gossipThreshold());
  }

  @Test
  void shouldServeOneMessageAtMostGossipRetransmissionTimesToAPeerFloodingIWant() {
    SimNetwork net = new SimNetwork(config, 4);
    SimNetwork.Node victim = net.addNode();
    victim.router.subscribe(TOPIC, net.now);
    RawPeer attacker = new RawPeer(net);
    attacker.connect(victim);
    attacker.send(victim, subscribe());
    byte[] id = victim.router.publish(TOPIC, "x".getBytes(StandardCharsets.UTF_8), net.now);
    net.drain();
    net.rawInbox.get(attacker.key).clear();

    for (int i = 0; i < 50; i++) {
      List<byte[]> ids = new ArrayList<>();
      for (int j = 0; j < 100; j++) {
        ids.add(id);
      }
      attacker.send(victim, control(List.of(), List.of(new Rpc.IWant(ids)), List.of()));
    }
    long copies = attacker.received().stream().mapToLong(r -> r.publish().size()).sum();
    assertThat(copies).isEqualTo(config.gossipRetransmission());
    assertThat(victim.counters.get(GossipCounter.IWANT_IGNORED)).isEqualTo(5000L - copies);
  }

  @Test
  void shouldPenaliseAPeerThatReGraftsDuringBackoff() {
    SimNetwork net = new SimNetwork(config, 6);
    SimNetwork.Node victim = net.addNode();
    victim.router.subscribe(TOPIC, net.now);
    RawPeer attacker = new RawPeer(net);
    attacker.connect(victim);
    attacker.send(victim, subscribe());
    attacker.send(victim, control(List.of(), List.of(), List.of(new Rpc.Graft(TOPIC))));
    assertThat(victim.router.meshPeers(TOPIC)).contains(attacker.key);

    // The victim leaves and rejoins: the attacker is pruned with a backoff, then GRAFTs anyway.
    victim.router.unsubscribe(TOPIC, net.now);
    victim.router.subscribe(TOPIC, net.now);
    net.drain();
    assertThat(victim.router.meshPeers(TOPIC)).doesNotContain(attacker.key);
    for (int i = 0; i < 5; i++) {
      attacker.send(victim, control(List.of(), List.of(), List.of(new Rpc.Graft(TOPIC))));
    }

    assertThat(victim.router.meshPeers(TOPIC)).doesNotContain(attacker.key);
    assertThat(victim.counters.get(GossipCounter.GRAFT_REFUSED)).isEqualTo(5);
    // The first GRAFT comes after the flood cutoff of the short unsubscribe backoff and counts
    // once; the refusal renews the backoff, so the next four are floods and count twice: 9
    // penalties, 3 above the threshold of 6 -> P7 = 3^2 * -10.
    assertThat(victim.counters.get(GossipCounter.BEHAVIOUR_PENALTIES)).isEqualTo(9);
    assertThat(victim.router.score(attacker.key))
        .isCloseTo(-90.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(victim.router.score(attacker.key))
        .isLessThan(config.thresholds().graylistThreshold());
    // The leave went out as a PRUNE with the unsubscribe backoff, each refusal with the prune one.
    assertThat(
            attacker.received().stream()
                .filter(r -> r.control() != null)
                .flatMap(r -> r.control().prune().stream())
                .map(Rpc.Prune::backoffSeconds))
        .containsExactly(
            config.unsubscribeBackoff().toSeconds(),
            config.pruneBackoff().toSeconds(),
            config.pruneBackoff().toSeconds(),
            config.pruneBackoff().toSeconds(),
            config.pruneBackoff().toSeconds(),
            config.pruneBackoff().toSeconds());
  }

  @Test
  void shouldNotLetAPeerGrowStateWithTopicsItMakesUp() {
    SimNetwork net = new SimNetwork(config, 10);
    SimNetwork.Node victim = net.addNode();
    victim.router.subscribe(TOPIC, net.now);
    RawPeer attacker = new RawPeer(net);
    attacker.connect(victim);
    for (int round = 0; round < 20; round++) {
      List<Rpc.SubOpts> subs = new ArrayList<>();
      List<Rpc.Graft> grafts = new ArrayList<>();
      List<Rpc.Prune> prunes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String t = "junk-" + round + "-" + i;
        subs.add(new Rpc.SubOpts(true, t));
        grafts.add(new Rpc.Graft(t));
        prunes.add(new Rpc.Prune(t, List.of(), 3600));
      }
      attacker.send(
          victim,
          new Rpc(
              subs, List.of(), new Rpc.Control(List.of(), List.of(), grafts, prunes, List.of())));
    }
    assertThat(victim.router.knownTopics()).isEqualTo(config.maxTopicsPerPeer());
    assertThat(victim.router.backoffEntries()).isZero();
    // GRAFTs for topics we are not in are ignored (as js does): only our hello went back.
    assertThat(attacker.received())
        .containsExactly(new Rpc(List.of(new Rpc.SubOpts(true, TOPIC)), List.of(), null));
    assertThat(victim.counters.get(GossipCounter.GRAFT_REFUSED)).isEqualTo(20 * 200);
  }

  @Test
  void shouldRejectMalformedRpcsWithAReasonAndKeepGoing() {
    SimNetwork net = new SimNetwork(config, 8);
    SimNetwork.Node victim = net.addNode();
    RawPeer attacker = new RawPeer(net);
    attacker.connect(victim);
    boolean ok = victim.router.onRpc(attacker.key, new byte[] {0x0a, 0x7f, 0x01}, net.now);
    assertThat(ok).isFalse();
    assertThat(victim.counters.get(GossipCounter.RPC_REJECTED)).isEqualTo(1);
    assertThat(victim.events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.INPUT_REJECTED);
              assertThat(e.text()).startsWith("gossipsub: truncated");
            });
    assertThat(victim.router.onRpc(attacker.key, RpcEncoder.encode(subscribe()), net.now)).isTrue();
    assertThat(victim.router.topicPeers(TOPIC)).contains(attacker.key);
  }
}
