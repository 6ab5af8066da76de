package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.gossipsub.Ed25519MessageSigner;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.ValidationResult;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.p2p.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router on its own thread, with the wall clock, over an in-memory transport. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterLoopTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config =
      GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(50)).build();
  private final Map<PeerId, RouterLoop> routers = new ConcurrentHashMap<>();
  private final List<RouterLoop> started = new ArrayList<>();

  private final class Node {
    final Ed25519MessageSigner signer = Ed25519MessageSigner.generate();
    final PeerId key = PeerId.fromBytes(signer.peerId());
    final List<GossipMessage> delivered = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final RouterLoop gossip =
        new RouterLoop(
            config,
            signer,
            (peer, rpc) -> {
              RouterLoop to = routers.get(peer);
              return to != null && to.onRpc(key, rpc);
            },
            (from, m) -> delivered.add(m),
            e -> events.add(new Event().copyFrom(e)));

    Node() {
      routers.put(key, gossip);
      started.add(gossip);
      gossip.start();
    }
  }

  private static void connect(Node a, Node b) {
    a.gossip.addPeer(b.key, GossipRouter.MESHSUB_V11, true, null);
    b.gossip.addPeer(a.key, GossipRouter.MESHSUB_V11, false, null);
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(what, condition::getAsBoolean);
  }

  @AfterEach
  void closeAll() {
    started.forEach(RouterLoop::close);
  }

  @Test
  void shouldBuildAMeshAndDeliverAcrossThreeRouterThreads() throws Exception {
    Node a = new Node();
    Node b = new Node();
    Node c = new Node();
    connect(a, b);
    connect(b, c);
    a.gossip.subscribe(TOPIC);
    b.gossip.subscribe(TOPIC);
    c.gossip.subscribe(TOPIC);
    await(() -> meshSize(b) == 2, "b's mesh to hold a and c");

    byte[] id =
        a.gossip.publish(TOPIC, "hello".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    await(() -> c.delivered.size() == 1, "c to receive the message through b");
    assertThat(c.delivered.get(0).id()).isEqualTo(id);
    assertThat(new String(c.delivered.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(b.delivered).hasSize(1);
    assertThat(a.delivered).isEmpty();
    assertThat(a.events).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.PUBLISH_MESSAGE));
    await(() -> a.gossip.counter(GossipCounter.HEARTBEATS) > 3, "heartbeats to run");
    assertThat(a.gossip.counter(GossipCounter.ROUTER_ERRORS)).isZero();
  }

  @Test
  void shouldApplyValidatorsAndReconfigureAtRunTime() throws Exception {
    Node a = new Node();
    Node b = new Node();
    connect(a, b);
    b.gossip.validator(
        TOPIC,
        (from, m) -> m.data().length > 3 ? ValidationResult.ACCEPT : ValidationResult.REJECT);
    a.gossip.subscribe(TOPIC);
    b.gossip.subscribe(TOPIC);
    await(() -> meshSize(a) == 1, "a and b to form a mesh");
    a.gossip.publish(TOPIC, "long enough".getBytes(StandardCharsets.UTF_8));
    a.gossip.publish(TOPIC, "no".getBytes(StandardCharsets.UTF_8));
    await(
        () -> b.delivered.size() == 1 && b.gossip.counter(GossipCounter.MESSAGES_REJECTED) == 1,
        "one accepted, one rejected");
    // One invalid message graylists a (chat defaults): its next RPCs are ignored whole.
    a.gossip.publish(TOPIC, "long enough again".getBytes(StandardCharsets.UTF_8));
    await(
        () -> b.gossip.counter(GossipCounter.RPC_GRAYLISTED) >= 1, "a's next RPC to be graylisted");
    assertThat(b.delivered).hasSize(1);

    b.gossip.reconfigure(config.toBuilder().d(8).dLo(6).dHi(12).dScore(4).dOut(2).build());
    assertThat(b.gossip.config().d()).isEqualTo(8);
    assertThat(b.gossip.config().heartbeatInterval()).isEqualTo(config.heartbeatInterval());
    await(
        () -> {
          try {
            return b.gossip.score(a.key).get() < 0; // P4 for the rejected message
          } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
          }
        },
        "a's score to be negative at b");
    assertThatThrownBy(() -> b.gossip.reconfigure(config.toBuilder().dLo(9).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossipsub.dLo");
  }

  /**
   * A peer's first RPC (its subscriptions) goes into the RPC queue right after its addPeer went
   * into the control queue. The router thread may be in the middle of an RPC batch at that moment;
   * it must still add the peer before it handles that RPC, or the subscription is lost and the peer
   * never joins the mesh.
   */
  @Test
  void shouldHandleAPeersFirstRpcArrivingWhileTheRouterIsInAnRpcBatch() throws Exception {
    CountDownLatch inBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean holdNextRpc = new AtomicBoolean();
    RouterLoop router =
        new RouterLoop(
            config,
            Ed25519MessageSigner.generate(),
            (peer, rpc) -> true,
            (from, m) -> {},
            e -> {
              if (e.type() == EventType.RECV_RPC && holdNextRpc.compareAndSet(true, false)) {
                inBatch.countDown();
                awaitQuietly(release);
              }
            });
    started.add(router);
    router.start();
    PeerId early = PeerId.fromBytes(Ed25519MessageSigner.generate().peerId());
    PeerId late = PeerId.fromBytes(Ed25519MessageSigner.generate().peerId());
    byte[] subscribe =
        RpcEncoder.encode(new Rpc(List.of(new Rpc.SubOpts(true, TOPIC)), List.of(), null));
    router.addPeer(early, GossipRouter.MESHSUB_V11, false, null);
    Await.until("the router to add the first peer", () -> router.topicPeers(TOPIC).get().isEmpty());
    holdNextRpc.set(true);
    router.onRpc(early, subscribe);
    assertThat(inBatch.await(10, TimeUnit.SECONDS)).isTrue();

    router.addPeer(late, GossipRouter.MESHSUB_V11, false, null);
    router.onRpc(late, subscribe);
    release.countDown();

    Await.until(
        "the late peer's subscription to be known",
        Duration.ofSeconds(10),
        () -> router.topicPeers(TOPIC).get().contains(late));
    assertThat(router.topicPeers(TOPIC).get()).containsExactlyInAnyOrder(early, late);
  }

  /**
   * A peer sends its last message and its stream closes while the router thread is busy with
   * something else (here: another peer's arrival, held in the event sink). The router must handle
   * the message before it removes the peer: it was read from the peer while the peer was there.
   */
  @Test
  void shouldHandleAPeersLastRpcsBeforeItsRemovalWhileTheRouterIsBusy() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean holdNextArrival = new AtomicBoolean();
    List<GossipMessage> delivered = new CopyOnWriteArrayList<>();
    RouterLoop router =
        new RouterLoop(
            config,
            Ed25519MessageSigner.generate(),
            (peer, rpc) -> true,
            (from, m) -> delivered.add(m),
            e -> {
              if (e.type() == EventType.ADD_PEER && holdNextArrival.compareAndSet(true, false)) {
                busy.countDown();
                awaitQuietly(release);
              }
            });
    started.add(router);
    router.start();
    router.subscribe(TOPIC);
    Ed25519MessageSigner leaverKey = Ed25519MessageSigner.generate();
    PeerId leaver = PeerId.fromBytes(leaverKey.peerId());
    router.addPeer(leaver, GossipRouter.MESHSUB_V11, false, null);
    router.meshPeers(TOPIC).get(10, TimeUnit.SECONDS); // answered after the peer was added

    holdNextArrival.set(true);
    router.addPeer(
        PeerId.fromBytes(Ed25519MessageSigner.generate().peerId()),
        GossipRouter.MESHSUB_V11,
        false,
        null);
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    byte[] last =
        RpcEncoder.encode(
            new Rpc(
                List.of(),
                List.of(
                    MessageSignatures.sign(
                        new Rpc.PubMessage(
                            leaverKey.peerId(),
                            "goodbye".getBytes(StandardCharsets.UTF_8),
                            new byte[] {0, 0, 0, 0, 0, 0, 0, 1},
                            TOPIC,
                            null,
                            null),
                        leaverKey)),
                null));
    assertThat(router.onRpc(leaver, last)).isTrue();
    router.removePeer(leaver);
    release.countDown();

    Await.until(
        "the peer's last message to be delivered",
        Duration.ofSeconds(10),
        () -> delivered.size() == 1);
    assertThat(new String(delivered.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("goodbye");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldRefuseRpcsBeyondTheInboundQueueAndCountThem() {
    RouterLoop idle =
        new RouterLoop(
            config.toBuilder().inboundQueueCapacity(16).build(),
            Ed25519MessageSigner.generate(),
            (peer, rpc) -> true,
            (from, m) -> {},
            e -> {});
    PeerId peer = PeerId.fromPublicKeyProtobuf(new byte[] {1, 2, 3});
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      accepted += idle.onRpc(peer, new byte[0]) ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(16);
    assertThat(idle.counter(GossipCounter.INBOUND_QUEUE_FULL)).isEqualTo(84);
    idle.close();
  }

  private static int meshSize(Node n) {
    try {
      return n.gossip.meshPeers(TOPIC).get(5, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
