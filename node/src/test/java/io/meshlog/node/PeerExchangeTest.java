package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.PeerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes on 127.0.0.1 in a star: every spoke is given only the hub. The hub's mesh goes beyond
 * D_hi, so it prunes with peer exchange, offering the spokes' signed peer records to each other;
 * they dial each other, and when the hub goes away the spokes still deliver each other's messages.
 * Every setting of peer exchange is the default: a hub that has just started has earned no score,
 * and its PX is followed because it is each spoke's configured peer (discovery.trustedPeerScore).
 */
@Timeout(120)
class PeerExchangeTest {
  private static final String TOPIC = "chat";
  private static final int SPOKES = 6;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(MeshlogNode::close);
  }

  private MeshlogNode start(String name, String peer) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", TOPIC);
    if (peer != null) {
      p.put("node.peers", peer);
    }
    // A small mesh, so that the hub's six spokes oversubscribe it.
    p.put("gossipsub.d", "2");
    p.put("gossipsub.dLo", "1");
    p.put("gossipsub.dHi", "3");
    p.put("gossipsub.dScore", "1");
    p.put("gossipsub.dOut", "0");
    p.put("gossipsub.heartbeatInterval", "200ms");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  private static Set<PeerId> connected(MeshlogNode n) {
    return n.host().connections().stream().map(ConnectionInfo::peer).collect(Collectors.toSet());
  }

  @Test
  void shouldTurnAStarIntoAMeshByPeerExchange() throws Exception {
    MeshlogNode hub = start("hub", null);
    String hubAddress = hub.listenAddresses().get(0).toString();
    List<MeshlogNode> spokes = new ArrayList<>();
    for (int i = 0; i < SPOKES; i++) {
      spokes.add(start("s" + i, hubAddress));
    }

    // The hub is trusted as each spoke's configured peer; the spokes are not trusted at the hub.
    MeshlogNode first = spokes.get(0);
    Await.until(
        "the hub connected to the first spoke", () -> connected(first).contains(hub.peerId()));
    // The router scores a peer once its gossip stream is up, a step after the connection.
    Await.until(
        "the hub above acceptPx at the first spoke",
        () -> first.gossipsub().score(hub.peerId()).get() >= 10.0);
    assertThat(hub.gossipsub().score(first.peerId()).get()).isLessThan(10.0);

    for (MeshlogNode s : spokes) {
      Await.until(
          "a spoke connected to another spoke by peer exchange: " + s.peerId(),
          Duration.ofSeconds(60),
          () -> connected(s).stream().anyMatch(p -> !p.equals(hub.peerId())));
    }
    List<String> pxDials = new ArrayList<>();
    List<String> pxLearned = new ArrayList<>();
    for (MeshlogNode s : spokes) {
      NodeJournals.texts(s, EventType.DIAL_ATTEMPT).stream()
          .filter(t -> t.contains("peer exchange from " + hub.peerId()))
          .forEach(pxDials::add);
      NodeJournals.texts(s, EventType.PEER_ADDRESS_LEARNED).stream()
          .filter(t -> t.startsWith("px "))
          .forEach(pxLearned::add);
    }
    assertThat(pxDials).as("dials that peer exchange caused").isNotEmpty();
    assertThat(pxLearned).as("addresses the registry learned from signed PX records").isNotEmpty();

    // Without the hub, the spokes' own connections carry the topic.
    hub.close();
    nodes.remove(hub);
    for (MeshlogNode s : spokes) {
      Await.until(
          "a mesh peer besides the hub at " + s.peerId(),
          Duration.ofSeconds(30),
          () -> !s.gossipsub().meshPeers(TOPIC).get().isEmpty());
    }
    long[] before = new long[SPOKES];
    for (int i = 0; i < SPOKES; i++) {
      before[i] = spokes.get(i).counter(NodeCounter.MESSAGES_RECEIVED);
    }
    spokes.get(0).publish(TOPIC, "after the hub".getBytes(StandardCharsets.UTF_8)).get();
    for (int i = 1; i < SPOKES; i++) {
      MeshlogNode s = spokes.get(i);
      long was = before[i];
      Await.until(
          "the message at spoke " + i,
          Duration.ofSeconds(30),
          () -> s.counter(NodeCounter.MESSAGES_RECEIVED) > was);
    }
  }

  /**
   * A record offered by peer exchange must be the offered peer's own and must verify: one signed by
   * someone else, or damaged, is journaled as INPUT_REJECTED and dialled nowhere.
   */
  @Test
  void shouldRefuseAPeerExchangeRecordThatIsNotTheOfferedPeers() throws Exception {
    MeshlogNode n = start("n", null);
    io.meshlog.node.p2p.Identity offered = io.meshlog.node.p2p.Identity.generate();
    io.meshlog.node.p2p.Identity other = io.meshlog.node.p2p.Identity.generate();
    PeerId from = io.meshlog.node.p2p.Identity.generate().peerId();
    byte[] othersRecord =
        io.meshlog.node.p2p.PeerRecord.sign(
                other, List.of(io.meshlog.node.p2p.Multiaddr.parse("/ip4/127.0.0.1/tcp/9")), 1)
            .bytes();
    byte[] damaged = othersRecord.clone();
    damaged[damaged.length - 1] ^= 1;

    n.reconnects().peerExchange(offered.peerId(), from, othersRecord);
    n.reconnects().peerExchange(other.peerId(), from, damaged);

    Await.until(
        "both refusals journaled",
        () ->
            NodeJournals.texts(n, EventType.INPUT_REJECTED).stream()
                    .filter(t -> t.startsWith("peer exchange: "))
                    .count()
                == 2);
    assertThat(NodeJournals.texts(n, EventType.INPUT_REJECTED))
        .anyMatch(
            t -> t.contains("record of " + other.peerId() + " offered as " + offered.peerId()));
    assertThat(NodeJournals.texts(n, EventType.DIAL_ATTEMPT)).isEmpty();
    assertThat(NodeJournals.texts(n, EventType.PEER_ADDRESS_LEARNED))
        .noneMatch(t -> t.startsWith("px "));
  }
}
