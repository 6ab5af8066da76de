package io.meshlog.node.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.interop.JsPeer;
import io.meshlog.node.interop.JsPeerOptions;
import io.meshlog.node.interop.JsPeers;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** meshlog's gossipsub in a mesh with real js-libp2p gossipsub peers (@libp2p/gossipsub). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipsubJsInteropIT {
  private static final String TOPIC = "meshlog-chat";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Base64.Encoder JS_ID = Base64.getEncoder().withoutPadding();

  @RegisterExtension final JsPeers js = new JsPeers();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<GossipMessage> delivered = new CopyOnWriteArrayList<>();
  private final Identity identity = Identity.generate();
  private Host host;
  private Gossipsub gossip;

  @BeforeEach
  void start() {
    host = Hosts.start(HostConfig.defaults(), identity, e -> events.add(new Event().copyFrom(e)));
    gossip =
        Gossipsubs.start(
            host,
            identity,
            GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build(),
            (from, m) -> delivered.add(m),
            e -> events.add(new Event().copyFrom(e)));
    gossip.subscribe(TOPIC);
  }

  @AfterEach
  void stop() {
    gossip.close();
    host.close();
  }

  private JsPeer startJs() {
    JsPeer peer = js.start(JsPeerOptions.defaults().with("heartbeatMs", 200).allowLoopback());
    peer.subscribe(TOPIC);
    return peer;
  }

  private void awaitMeshWith(JsPeer peer) throws Exception {
    String us = identity.peerId().toBase58();
    await(() -> peer.meshPeers(TOPIC).contains(us), "js to graft us");
    // js publishes only to peers whose subscription it has processed, which can trail a graft.
    await(() -> peer.subscribers(TOPIC).contains(us), "js to see our subscription");
    PeerId them = PeerId.parse(peer.peerId());
    await(() -> gossip.meshPeers(TOPIC).join().contains(them), "us to graft js");
  }

  @Test
  void shouldExchangeSignedMessagesWithJsInBothDirectionsWithTheSameIds() throws Exception {
    JsPeer peer = startJs();
    host.dial(Multiaddr.parse(peer.addr())).get(15, TimeUnit.SECONDS);
    awaitMeshWith(peer);

    // js -> meshlog: delivered once, same id as js computed.
    String jsId = peer.publish(TOPIC, "hello from js".getBytes(StandardCharsets.UTF_8));
    await(() -> delivered.size() == 1, "the js message");
    GossipMessage m = delivered.get(0);
    assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("hello from js");
    assertThat(JS_ID.encodeToString(m.id())).isEqualTo(jsId);
    assertThat(m.from()).isEqualTo(PeerId.parse(peer.peerId()).bytes());

    // meshlog -> js: js accepts our signature and computes the same id.
    byte[] ourId =
        gossip
            .publish(TOPIC, "hello from meshlog".getBytes(StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS);
    JsonNode received = peer.awaitEvent(JsPeer.event("message"), WAIT);
    assertThat(received.path("from").asText()).isEqualTo(identity.peerId().toBase58());
    assertThat(
            new String(
                Base64.getDecoder().decode(received.path("data").asText()), StandardCharsets.UTF_8))
        .isEqualTo("hello from meshlog");
    assertThat(received.path("msgId").asText()).isEqualTo(JS_ID.encodeToString(ourId));

    // js has nothing against us: no invalid messages, no broken promises, no bad grafts.
    double ourScoreAtJs =
        peer.command("peerScore", java.util.Map.of("peer", identity.peerId().toBase58()))
            .path("score")
            .asDouble();
    assertThat(ourScoreAtJs).isGreaterThanOrEqualTo(0.0);
    assertThat(gossip.counter(GossipCounter.MESSAGES_REJECTED)).isZero();
    assertThat(gossip.counter(GossipCounter.RPC_REJECTED)).isZero();
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.ADD_PEER);
              assertThat(e.text()).isEqualTo("/meshsub/1.2.0");
            });
  }

  @Test
  void shouldRelayBetweenTwoJsPeersThatOnlyKnowMeshlog() throws Exception {
    JsPeer left = startJs();
    JsPeer right = startJs();
    host.dial(Multiaddr.parse(left.addr())).get(15, TimeUnit.SECONDS);
    host.dial(Multiaddr.parse(right.addr())).get(15, TimeUnit.SECONDS);
    awaitMeshWith(left);
    awaitMeshWith(right);

    for (int i = 0; i < 5; i++) {
      String id = left.publish(TOPIC, ("relayed " + i).getBytes(StandardCharsets.UTF_8));
      JsonNode got = right.awaitEvent(JsPeer.event("message", "msgId", id), WAIT);
      assertThat(got.path("from").asText()).isEqualTo(left.peerId());
      assertThat(got.path("via").asText()).isEqualTo(identity.peerId().toBase58());
    }
    assertThat(delivered).hasSize(5);

    // Our subscription reached both js peers, and the mesh stays up across several heartbeats.
    long beats = gossip.counter(GossipCounter.HEARTBEATS);
    await(() -> gossip.counter(GossipCounter.HEARTBEATS) >= beats + 5, "5 heartbeats");
    assertThat(left.meshPeers(TOPIC)).contains(identity.peerId().toBase58());
    assertThat(right.meshPeers(TOPIC)).contains(identity.peerId().toBase58());
    assertThat(gossip.counter(GossipCounter.RPC_REJECTED)).isZero();
    assertThat(gossip.counter(GossipCounter.ROUTER_ERRORS)).isZero();
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(what, WAIT, condition::getAsBoolean);
  }
}
