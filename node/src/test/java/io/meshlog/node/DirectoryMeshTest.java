package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.discovery.DirectoryService;
import io.meshlog.node.discovery.Registration;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes on 127.0.0.1 with real journals that are given only a directory's address: they find
 * each other, form a mesh, keep gossiping directly while the directory is away, and register again
 * when it is back.
 */
@Timeout(120)
class DirectoryMeshTest {

  private static final String TOPIC = "chat";
  private static final int NODES = 5;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();
  private final Map<PeerId, Set<String>> received = new ConcurrentHashMap<>();
  private MeshlogNode directory;

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
    if (directory != null) {
      directory.close();
    }
  }

  /**
   * Short discovery periods, and no IP colocation penalty: every node of the test shares 127.0.0.1,
   * which gossipsub's P6 would otherwise score as a Sybil attack.
   */
  private static Map<String, String> settings(Path dir, String listen) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.toString());
    p.put("node.listen", listen);
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.ttl", "30s");
    p.put("discovery.refreshInterval", "5s");
    p.put("discovery.interval", "5s");
    p.put("discovery.meshCheck", "300ms");
    p.put("discovery.requestTimeout", "5s");
    p.put("directory.minTtl", "1s");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    return p;
  }

  private MeshlogNode startDirectory(String listen) {
    Map<String, String> p = settings(tmp.resolve("directory"), listen);
    p.put("node.role", "directory");
    directory = MeshlogNode.start(NodeConfig.fromProperties(p));
    return directory;
  }

  private MeshlogNode startNode(int i, Multiaddr directoryAddress) {
    Map<String, String> p = settings(tmp.resolve("n" + i), "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", TOPIC);
    p.put("node.directories", directoryAddress.toString());
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    received.put(n.peerId(), ConcurrentHashMap.newKeySet());
    n.onMessage(
        (topic, origin, envelope) ->
            received.get(n.peerId()).add(new String(envelope.payload(), StandardCharsets.UTF_8)));
    nodes.add(n);
    return n;
  }

  private DirectoryService service() {
    return directory.directory().orElseThrow();
  }

  private void awaitEveryMessageEverywhere(String round) throws Exception {
    for (MeshlogNode n : nodes) {
      Await.until(
          "a mesh peer at " + n.peerId() + " " + diagnose(),
          Duration.ofSeconds(30),
          () -> !n.gossipsub().meshPeers(TOPIC).get().isEmpty());
    }
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).publish(TOPIC, (round + i).getBytes(StandardCharsets.UTF_8)).get();
    }
    for (int i = 0; i < nodes.size(); i++) {
      MeshlogNode n = nodes.get(i);
      Set<String> expected = new java.util.HashSet<>();
      for (int j = 0; j < nodes.size(); j++) {
        if (j != i) {
          expected.add(round + j);
        }
      }
      Await.until(
          "every " + round + " message at node " + i,
          Duration.ofSeconds(30),
          () -> received.get(n.peerId()).containsAll(expected));
    }
  }

  @Test
  void shouldFormAMeshFromTheDirectoryAloneAndSurviveItsAbsence() throws Exception {
    MeshlogNode dir = startDirectory("/ip4/127.0.0.1/tcp/0");
    Multiaddr address = dir.listenAddresses().get(0);
    for (int i = 0; i < NODES; i++) {
      startNode(i, address);
    }

    Await.until(
        "five registrations in " + TOPIC, () -> service().registrations(TOPIC).size() == NODES);
    assertThat(service().registrations(TOPIC))
        .extracting(Registration::peer)
        .containsExactlyInAnyOrderElementsOf(nodes.stream().map(MeshlogNode::peerId).toList());
    awaitEveryMessageEverywhere("first-");
    for (MeshlogNode n : nodes) {
      assertThat(NodeJournals.texts(n, EventType.REGISTRATION_SENT)).contains("start");
      assertThat(NodeJournals.texts(n, EventType.REGISTRATION_ANSWERED))
          .anyMatch(t -> t.startsWith("OK"));
      assertThat(NodeJournals.texts(n, EventType.DISCOVER_RESULT)).isNotEmpty();
    }

    // The directory goes away; gossip must not need it.
    int port = address.tcpPort();
    directory.close();
    directory = null;
    for (MeshlogNode n : nodes) {
      Set<PeerId> direct = connectedPeers(n);
      assertThat(direct).as("direct connections of " + n.peerId()).isNotEmpty();
      assertThat(direct).doesNotContain(address.peerId().orElseThrow());
    }
    awaitEveryMessageEverywhere("second-");
    for (MeshlogNode n : nodes) {
      Await.until(
          "DIRECTORY_DOWN at " + n.peerId(),
          () -> !NodeJournals.texts(n, EventType.DIRECTORY_DOWN).isEmpty());
    }

    // Back on the same address with the same identity: its table comes from its journal, and
    // every node registers again as soon as it reconnects.
    startDirectory("/ip4/127.0.0.1/tcp/" + port);
    assertThat(service().registrations(TOPIC)).as("rebuilt from the journal").hasSize(NODES);
    for (MeshlogNode n : nodes) {
      Await.until(
          "re-registration of " + n.peerId(),
          Duration.ofSeconds(30),
          () ->
              NodeJournals.texts(n, EventType.REGISTRATION_SENT)
                  .contains("directory reachable again"));
      // Registered on reconnecting, not at the next refresh: timed on the node's own journal, so
      // how long the directory and the node's redial took on a loaded machine does not count.
      long up = lastTime(n, EventType.DIRECTORY_UP, "connected");
      long sent = lastTime(n, EventType.REGISTRATION_SENT, "directory reachable again");
      assertThat(Duration.ofNanos(sent - up))
          .as("from DIRECTORY_UP to the re-registration at " + n.peerId())
          .isBetween(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  @Test
  void shouldUnregisterOnACleanStop() throws Exception {
    MeshlogNode dir = startDirectory("/ip4/127.0.0.1/tcp/0");
    MeshlogNode a = startNode(0, dir.listenAddresses().get(0));
    startNode(1, dir.listenAddresses().get(0));
    Await.until("two registrations", () -> service().registrations(TOPIC).size() == 2);

    a.close();
    nodes.remove(a);

    Await.until("one registration", () -> service().registrations(TOPIC).size() == 1);
    assertThat(NodeJournals.texts(a, EventType.UNREGISTER_SENT)).containsExactly("clean stop");
  }

  private String diagnose() {
    StringBuilder sb = new StringBuilder();
    for (MeshlogNode n : nodes) {
      sb.append("\n").append(n.peerId()).append(" conns=").append(connectedPeers(n).size());
      sb.append(" discover=").append(NodeJournals.texts(n, EventType.DISCOVER_RESULT));
      sb.append(" closed=")
          .append(NodeJournals.texts(n, EventType.CONNECTION_CLOSED))
          .append(" prune=")
          .append(NodeJournals.texts(n, EventType.PRUNE));
    }
    return sb.toString();
  }

  private static Set<PeerId> connectedPeers(MeshlogNode n) {
    return n.host().connections().stream().map(c -> c.peer()).collect(Collectors.toSet());
  }

  /** The time of the last event of {@code type} with {@code text} in {@code n}'s journal. */
  private static long lastTime(MeshlogNode n, EventType type, String text) {
    long last = -1;
    try (JournalReader r =
        io.meshlog.eventlog.disk.Journals.openReader(n.config().dataDir().resolve("journal"))) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == type && text.equals(e.text())) {
          last = e.timeNanos();
        }
      }
    }
    assertThat(last).as(type + " \"" + text + "\" in the journal of " + n.peerId()).isPositive();
    return last;
  }

  /**
   * A mesh peer that stays away past reconnect.replaceAfter is replaced by a peer the directory
   * names for the topic: b keeps D_lo mesh peers (c), so only the replacement asks, and d, which
   * registered after b's first DISCOVER and dials nobody, can come only from that answer.
   */
  @Test
  void shouldReplaceALostMeshPeerWithOneTheDirectoryNames() throws Exception {
    MeshlogNode dir = startDirectory("/ip4/127.0.0.1/tcp/0");
    Multiaddr at = dir.listenAddresses().get(0).withPeerId(dir.peerId());
    Map<String, String> bp = settings(tmp.resolve("b"), "/ip4/127.0.0.1/tcp/0");
    bp.put("node.topics", TOPIC);
    bp.put("node.directories", at.toString());
    bp.put("discovery.interval", "1h"); // no periodic DISCOVER to find d first
    bp.put("gossipsub.d", "2");
    bp.put("gossipsub.dLo", "1"); // with c left in the mesh, b does not look for peers itself
    bp.put("gossipsub.dHi", "3");
    bp.put("gossipsub.dOut", "0");
    bp.put("registry.startDials", "0");
    bp.put("reconnect.initial", "100ms");
    bp.put("reconnect.max", "400ms");
    bp.put("reconnect.replaceAfter", "2s");
    MeshlogNode a = startNode(0, at);
    MeshlogNode c = startNode(1, at);
    Await.until("a and c registered", () -> service().registrations(TOPIC).size() == 2);
    MeshlogNode b = MeshlogNode.start(NodeConfig.fromProperties(bp));
    nodes.add(b);
    Await.until(
        "a and c in b's mesh " + diagnose(),
        Duration.ofSeconds(30),
        () -> b.gossipsub().meshPeers(TOPIC).get().containsAll(List.of(a.peerId(), c.peerId())));
    Await.until("b's reconnects saw a in the mesh", () -> b.reconnects().seenInMesh(a.peerId()));

    Map<String, String> dp = settings(tmp.resolve("d"), "/ip4/127.0.0.1/tcp/0");
    dp.put("node.topics", TOPIC);
    dp.put("node.directories", at.toString());
    dp.put("discovery.maxDials", "0");
    dp.put("registry.startDials", "0");
    MeshlogNode d = MeshlogNode.start(NodeConfig.fromProperties(dp));
    nodes.add(d);
    Await.until(
        "d registered",
        () -> service().registrations(TOPIC).stream().anyMatch(r -> r.peer().equals(d.peerId())));
    assertThat(b.host().connection(d.peerId())).as("b and d not yet connected").isEmpty();

    a.close();
    nodes.remove(a);

    Await.until(
        "b replaced a with d " + diagnose(),
        Duration.ofSeconds(30),
        () -> b.host().connection(d.peerId()).isPresent());
    List<Event> replacements = NodeJournals.events(b, EventType.PEER_REPLACEMENT);
    assertThat(replacements).hasSize(1);
    Event r = replacements.get(0);
    assertThat(PeerId.fromBytes(r.peer())).isEqualTo(d.peerId());
    assertThat(r.topic()).isEqualTo(TOPIC);
    assertThat(r.text())
        .contains("replaces " + a.peerId())
        .contains("from directory " + dir.peerId());
    assertThat(NodeJournals.texts(b, EventType.DIAL_BACKOFF)).isNotEmpty();
    Await.until("d in b's mesh", () -> b.gossipsub().meshPeers(TOPIC).get().contains(d.peerId()));
  }
}
