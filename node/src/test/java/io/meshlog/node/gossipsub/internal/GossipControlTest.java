package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Control exchanges with peers of each protocol version, in an exact order. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GossipControlTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config = GossipsubConfig.builder().build();
  private final SimNetwork net = new SimNetwork(config, 21);
  private final SimNetwork.Node router = net.addNode();

  private RawPeer meshPeer(String protocol) {
    RawPeer p = new RawPeer(net);
    p.connect(router, protocol);
    p.send(router, GossipAttackTest.subscribe());
    p.send(router, graft());
    assertThat(router.router.meshPeers(TOPIC)).contains(p.key);
    p.clearReceived();
    return p;
  }

  private static Rpc graft() {
    return new Rpc(
        List.of(),
        List.of(),
        new Rpc.Control(List.of(), List.of(), List.of(new Rpc.Graft(TOPIC)), List.of(), List.of()));
  }

  private static Rpc dontWant(byte[] id) {
    return new Rpc(
        List.of(),
        List.of(),
        new Rpc.Control(
            List.of(), List.of(), List.of(), List.of(), List.of(new Rpc.IDontWant(List.of(id)))));
  }

  private static long messages(RawPeer p) {
    return p.received().stream().mapToLong(r -> r.publish().size()).sum();
  }

  private static long dontWants(RawPeer p) {
    return p.received().stream()
        .filter(r -> r.control() != null)
        .mapToLong(r -> r.control().idontwant().size())
        .sum();
  }

  /**
   * What sync brings goes through the topic's validator as gossip does: a refused message is not
   * delivered, is journaled with the validator's reason and costs the source; one it accepts is.
   */
  @Test
  void shouldRunTheTopicValidatorOnSyncedMessages() {
    router.router.subscribe(TOPIC, net.now);
    router.router.validator(
        TOPIC,
        new io.meshlog.node.gossipsub.TopicValidator() {
          @Override
          public io.meshlog.node.gossipsub.ValidationResult validate(
              io.meshlog.node.p2p.PeerId forwarder, io.meshlog.node.gossipsub.GossipMessage m) {
            return m.data().length > 10
                ? io.meshlog.node.gossipsub.ValidationResult.REJECT
                : io.meshlog.node.gossipsub.ValidationResult.ACCEPT;
          }

          @Override
          public String reason(
              io.meshlog.node.p2p.PeerId forwarder, io.meshlog.node.gossipsub.GossipMessage m) {
            return "too long for this topic";
          }
        });
    RawPeer source = meshPeer(GossipRouter.MESHSUB_V12);

    List<io.meshlog.node.gossipsub.SyncVerdict> verdicts =
        router.router.deliverSynced(
            source.key,
            List.of(source.signed(TOPIC, new byte[100]), source.signed(TOPIC, new byte[5])),
            List.of(),
            net.now);

    assertThat(verdicts)
        .containsExactly(
            io.meshlog.node.gossipsub.SyncVerdict.INVALID,
            io.meshlog.node.gossipsub.SyncVerdict.DELIVERED);
    assertThat(router.delivered).hasSize(1);
    assertThat(router.delivered.get(0).data()).hasSize(5);
    assertThat(router.events)
        .filteredOn(e -> e.type() == io.meshlog.eventlog.EventType.REJECT_MESSAGE)
        .extracting(io.meshlog.eventlog.Event::text)
        .containsExactly("sync: validator rejected: too long for this topic");
    assertThat(router.router.score(source.key)).isNegative();
  }

  @Test
  void shouldHonourIDontWantAndSendItOnlyToV12PeersForLargeMessages() {
    router.router.subscribe(TOPIC, net.now);
    RawPeer source = meshPeer(GossipRouter.MESHSUB_V12);
    RawPeer v12 = meshPeer(GossipRouter.MESHSUB_V12);
    RawPeer declined = meshPeer(GossipRouter.MESHSUB_V12);
    RawPeer v11 = meshPeer(GossipRouter.MESHSUB_V11);

    Rpc.PubMessage big = source.signed(TOPIC, new byte[2048]);
    byte[] id =
        config.messageIdFunction().messageId(big.from(), big.seqno(), TOPIC, big.data(), big.key());
    declined.send(router, dontWant(id));
    source.send(router, new Rpc(List.of(), List.of(big), null));

    assertThat(router.delivered).hasSize(1);
    assertThat(messages(v12)).isEqualTo(1);
    assertThat(messages(v11)).isEqualTo(1);
    assertThat(messages(declined)).as("asked not to get it").isZero();
    assertThat(messages(source)).isZero();
    assertThat(dontWants(v12)).isEqualTo(1);
    assertThat(dontWants(declined)).isEqualTo(1);
    assertThat(dontWants(v11)).as("1.1 does not know IDONTWANT").isZero();
    assertThat(dontWants(source)).isZero();

    source.send(router, new Rpc(List.of(), List.of(source.signed(TOPIC, new byte[100])), null));
    assertThat(dontWants(v12)).as("small messages are not announced").isEqualTo(1);
  }

  @Test
  void shouldDeliverTheGenuineMessageAfterAForgedCopyOfItAndSkipVerifyingDuplicates() {
    router.router.subscribe(TOPIC, net.now);
    RawPeer source = meshPeer(GossipRouter.MESHSUB_V11);
    RawPeer forger = meshPeer(GossipRouter.MESHSUB_V11);
    Rpc.PubMessage genuine = source.signed(TOPIC, new byte[] {1, 2, 3});
    byte[] sig = genuine.signature().clone();
    sig[10] ^= 0x40;
    Rpc.PubMessage forged =
        new Rpc.PubMessage(genuine.from(), new byte[] {6, 6, 6}, genuine.seqno(), TOPIC, sig, null);

    forger.send(router, new Rpc(List.of(), List.of(forged), null));
    assertThat(router.delivered).isEmpty();
    source.send(router, new Rpc(List.of(), List.of(genuine), null));
    assertThat(router.delivered).hasSize(1);
    assertThat(router.delivered.get(0).data()).containsExactly(1, 2, 3);
    assertThat(router.router.score(forger.key)).isNegative();
    assertThat(router.router.score(source.key)).isPositive();

    // The first forger is graylisted now. From another peer, the forged copy is a duplicate of a
    // known id: dropped as such without checking its signature, so without a P4 penalty.
    RawPeer late = meshPeer(GossipRouter.MESHSUB_V11);
    late.send(router, new Rpc(List.of(), List.of(forged), null));
    assertThat(router.counters.get(io.meshlog.node.gossipsub.GossipCounter.MESSAGES_DUPLICATE))
        .isEqualTo(1);
    assertThat(router.router.score(late.key)).isZero();
    assertThat(router.delivered).hasSize(1);
  }

  @Test
  void shouldJournalAFailingHandlerAndStillForward() {
    SimNetwork.Node failing =
        net.addNode(config); // its handler is replaced below by one that throws
    GossipRouter r =
        new GossipRouter(
            config,
            failing.signer,
            (peer, rpc) -> net.enqueue(failing.key, peer, rpc),
            (from, m) -> {
              throw new IllegalStateException("disk full");
            },
            e -> failing.events.add(new io.meshlog.eventlog.Event().copyFrom(e)),
            failing.counters,
            k -> 0,
            net.now);
    r.subscribe(TOPIC, net.now);
    RawPeer source = new RawPeer(net);
    RawPeer next = new RawPeer(net);
    for (RawPeer p : List.of(source, next)) {
      r.addPeer(p.key, GossipRouter.MESHSUB_V11, false, null, net.now);
      r.onRpc(p.key, RpcEncoder.encode(GossipAttackTest.subscribe()), net.now);
      r.onRpc(p.key, RpcEncoder.encode(graft()), net.now);
    }
    net.drain();
    next.clearReceived();
    r.onRpc(
        source.key,
        RpcEncoder.encode(new Rpc(List.of(), List.of(source.signed(TOPIC, new byte[] {7})), null)),
        net.now);
    net.drain();
    assertThat(messages(next)).isEqualTo(1);
    assertThat(failing.events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(io.meshlog.eventlog.EventType.UNDELIVERABLE_MESSAGE);
              assertThat(e.text()).contains("disk full");
            });
    assertThat(failing.counters.get(io.meshlog.node.gossipsub.GossipCounter.ROUTER_ERRORS))
        .isEqualTo(1);
  }

  @Test
  void shouldPruneV10PeersWithoutBackoffOrPeerExchangeAndV11PeersWithBoth() {
    router.router.subscribe(TOPIC, net.now);
    List<RawPeer> others = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(meshPeer(GossipRouter.MESHSUB_V11)); // fills the mesh to D_hi - 1 (inbound)
    }
    RawPeer v11 = meshPeer(GossipRouter.MESHSUB_V11); // the mesh is now at D_hi = 6
    RawPeer v10 = new RawPeer(net);
    v10.connect(router, GossipRouter.MESHSUB_V10);
    v10.send(router, GossipAttackTest.subscribe());
    v10.send(router, graft());
    RawPeer late11 = new RawPeer(net);
    late11.connect(router, GossipRouter.MESHSUB_V11);
    late11.send(router, GossipAttackTest.subscribe());
    late11.send(router, graft());

    Rpc.Prune to10 = late(v10);
    assertThat(to10.backoffSeconds()).isEqualTo(-1);
    assertThat(to10.peers()).isEmpty();
    Rpc.Prune to11 = late(late11);
    assertThat(to11.backoffSeconds()).isEqualTo(config.pruneBackoff().toSeconds());
    assertThat(to11.peers())
        .as("peer exchange offers other topic peers")
        .isNotEmpty()
        .allSatisfy(pi -> assertThat(pi.peerId()).isNotEqualTo(late11.key.bytes()));
    assertThat(router.router.meshPeers(TOPIC)).hasSize(config.dHi()).contains(v11.key);
  }

  private static Rpc.Prune late(RawPeer p) {
    List<Rpc.Prune> prunes =
        p.received().stream()
            .filter(r -> r.control() != null)
            .flatMap(r -> r.control().prune().stream())
            .toList();
    assertThat(prunes).hasSize(1);
    return prunes.get(0);
  }

  @Test
  void shouldSendNoControlToFloodsubPeersButForwardThemMessages() {
    router.router.subscribe(TOPIC, net.now);
    RawPeer flood = new RawPeer(net);
    flood.connect(router, GossipRouter.FLOODSUB);
    flood.send(router, GossipAttackTest.subscribe());
    flood.send(router, graft()); // control from floodsub is ignored
    assertThat(router.router.meshPeers(TOPIC)).doesNotContain(flood.key);
    RawPeer source = meshPeer(GossipRouter.MESHSUB_V11);
    flood.clearReceived();
    source.send(router, new Rpc(List.of(), List.of(source.signed(TOPIC, new byte[10])), null));
    net.heartbeats(3);
    assertThat(messages(flood)).isEqualTo(1);
    assertThat(flood.received()).allSatisfy(r -> assertThat(r.control()).isNull());
  }
}
