package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.testing.RegistryProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes on 127.0.0.1 with real journals: a dropped mesh peer is redialled on the schedule and
 * then replaced, a peer outside every mesh is not redialled, and a restarted node with neither
 * {@code --peer} nor {@code --directory} reconnects from its registry, also once retention deleted
 * the journal records that taught it its peers.
 */
@Timeout(120)
class ReconnectTest {

  private static final String TOPIC = "chat";

  /** Jitter is ± 20%; the tolerance adds scheduling slack on a loaded machine. */
  private static final double JITTER = 0.2;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private Map<String, String> settings(String name) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.meshCheck", "300ms");
    p.put("reconnect.initial", "100ms");
    p.put("reconnect.max", "800ms");
    p.put("reconnect.jitter", Double.toString(JITTER));
    p.put(
        "reconnect.replaceAfter",
        "5s"); // after five redials (2.3 s ± 20%), with room for a loaded machine
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    return p;
  }

  private Map<String, String> chat(String name) {
    Map<String, String> p = settings(name);
    p.put("node.topics", TOPIC);
    return p;
  }

  /** Starts a node of settings {@code p} with {@code y} as its one peer, once in y's mesh. */
  private MeshlogNode startMeshedWith(MeshlogNode y, Map<String, String> p) {
    p.put("node.peers", y.listenAddresses().get(0).toString());
    MeshlogNode x = start(p);
    Await.until("x in y's mesh", () -> y.gossipsub().meshPeers(TOPIC).get().contains(x.peerId()));
    return x;
  }

  private MeshlogNode start(Map<String, String> p) {
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  @Test
  void shouldRedialADroppedMeshPeerOnTheScheduleThenReplaceItFromTheRegistry() throws Exception {
    redialThenReplace(
        List.of(),
        new long[] {100, 200, 400, 800, 800},
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  /**
   * The same at the default schedule (reconnect.initial 1 s, max 30 s, replaceAfter 2 min): the
   * redials journaled at about 1, 2, 4, 8, 16, 30, 30 s, then the replacement. Minutes: slow.
   */
  @Test
  @Tag("slow")
  @Timeout(300)
  void shouldRedialOnTheDefaultScheduleThenReplaceAfterTwoMinutes() throws Exception {
    redialThenReplace(
        List.of("reconnect.initial", "reconnect.max", "reconnect.jitter", "reconnect.replaceAfter"),
        new long[] {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000},
        Duration.ofMinutes(2),
        Duration.ofMinutes(3));
  }

  /**
   * b's mesh peer a stops: b journals its redials with the delays {@code expected} (each within the
   * jitter; later ones at the last), then, once a has been away reconnect.replaceAfter, dials d
   * from its registry instead. The reconnect settings named in {@code atDefault} stay at their
   * defaults; the others are the test's shortened ones.
   */
  private void redialThenReplace(
      List<String> atDefault, long[] expected, Duration replaceAfter, Duration timeout)
      throws Exception {
    Map<String, String> bp = settings("b");
    bp.keySet().removeAll(atDefault);
    bp.put("node.topics", TOPIC);
    bp.put("registry.startDials", "0"); // only the schedule and the replacement dial here
    MeshlogNode b = start(bp);
    Map<String, String> ap = settings("a");
    ap.put("node.topics", TOPIC);
    ap.put("node.peers", b.listenAddresses().get(0).toString());
    MeshlogNode a = start(ap);
    // d is known to b (identify) but never in its chat mesh: d only reads another topic.
    Map<String, String> dp = settings("d");
    dp.put("node.topics", "elsewhere");
    dp.put("registry.startDials", "0"); // or d dials b itself: its topic has no mesh peers
    MeshlogNode d = start(dp);
    b.host().dial(d.listenAddresses().get(0)).get();
    Await.until(
        "b learned d's listen address",
        () -> journalEvents(b, EventType.PEER_ADDRESS_LEARNED).stream().anyMatch(e -> from(e, d)));
    Await.until("a in b's mesh", () -> b.gossipsub().meshPeers(TOPIC).get().contains(a.peerId()));
    // The reconnect thread samples the mesh once a tick: a peer that stops before a sample saw it
    // in the mesh is not a mesh peer to it (Reconnector.seenInMesh).
    Await.until("b's reconnects saw a in the mesh", () -> b.reconnects().seenInMesh(a.peerId()));
    b.host().disconnect(d.peerId()).get();
    Await.until("b and d apart", () -> b.host().connection(d.peerId()).isEmpty());

    long killedAt = System.nanoTime();
    a.close();
    nodes.remove(a);

    try {
      Await.until(
          "a replacement for a",
          timeout,
          () -> !journalEvents(b, EventType.PEER_REPLACEMENT).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; b journaled " + lifecycle(b), e);
    }
    Await.until("b connected to d again", () -> b.host().connection(d.peerId()).isPresent());
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
        .as("replaced after reconnect.replaceAfter")
        .isGreaterThanOrEqualTo(replaceAfter);

    List<Long> delays = new ArrayList<>();
    for (Event e : journalEvents(b, EventType.DIAL_BACKOFF)) {
      assertThat(from(e, a))
          .as("only the mesh peer is redialled, never d: %s", lifecycle(b))
          .isTrue();
      delays.add(e.value());
    }
    long last = expected[expected.length - 1];
    assertThat(delays.size()).isGreaterThanOrEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) delays.get(i))
          .as("delay %d of %s", i, delays)
          .isBetween(expected[i] * (1 - JITTER) - 1, expected[i] * (1 + JITTER) + 1);
    }
    for (long later : delays.subList(expected.length, delays.size())) {
      assertThat((double) later).isBetween(last * (1 - JITTER) - 1, last * (1 + JITTER) + 1);
    }
    assertThat(journalEvents(b, EventType.DIAL_ATTEMPT)).hasSizeGreaterThanOrEqualTo(delays.size());
    assertThat(journalEvents(b, EventType.DIAL_FAILED))
        .allSatisfy(e -> assertThat(from(e, a)).isTrue())
        .isNotEmpty();
    Event replacement = journalEvents(b, EventType.PEER_REPLACEMENT).get(0);
    assertThat(from(replacement, d)).isTrue();
    assertThat(replacement.text()).contains("replaces " + a.peerId()).contains("from the registry");

    PeerRegistry.Entry ofA =
        b.reconnects().registry().stream()
            .filter(e -> e.peer().equals(a.peerId()))
            .findFirst()
            .orElseThrow();
    assertThat(ofA.failureStreak()).isGreaterThanOrEqualTo(expected.length);
    assertThat(ofA.addresses()).containsValue(PeerRegistry.Source.IDENTIFY);
  }

  @Test
  void shouldReconnectFromTheRegistryAfterARestartWithNeitherPeerNorDirectory() throws Exception {
    MeshlogNode y = start(chat("y"));
    Map<String, String> xp = chat("x");
    MeshlogNode x = startMeshedWith(y, xp);
    x.close();
    nodes.remove(x);

    xp.remove("node.peers");
    MeshlogNode again = start(xp);
    Set<String> got = ConcurrentHashMap.newKeySet();
    again.onMessage(
        (topic, origin, envelope) ->
            got.add(new String(envelope.payload(), StandardCharsets.UTF_8)));

    Await.until(
        "the restarted x in y's mesh",
        () -> y.gossipsub().meshPeers(TOPIC).get().contains(again.peerId()));
    y.publish(TOPIC, "after restart".getBytes(StandardCharsets.UTF_8)).get();
    Await.until("the message at the restarted x", () -> got.contains("after restart"));
    assertThat(journalEvents(again, EventType.DIAL_ATTEMPT))
        .anyMatch(e -> from(e, y) && e.text().contains("restart: from registry"));
  }

  /**
   * The registry is stored beside the projections: a node whose journal retention deleted every
   * record that taught it a peer still dials that peer after a restart with neither {@code --peer}
   * nor {@code --directory}, which a fold of the journal alone could not do.
   */
  @Test
  void shouldReconnectFromTheStoredRegistryAfterRetentionDeletedWhatTaughtIt() throws Exception {
    MeshlogNode y = start(chat("y"));
    Map<String, String> xp = chat("x");
    xp.put("journal.rollCycle", "TEST_SECONDLY");
    xp.put("journal.retention.maxAge", "1s");
    xp.put("journal.retention.interval", "100ms");
    MeshlogNode x = startMeshedWith(y, xp);
    Await.until(
        "x stored y in its registry, and retention deleted every record that taught x of y",
        () -> {
          x.publish(TOPIC, "roll".getBytes(StandardCharsets.UTF_8)); // new cycles keep coming
          return RegistryProbe.storedKnows(x, y.peerId())
              && !RegistryProbe.journalAloneKnows(x, y.peerId());
        });
    x.close();
    nodes.remove(x);
    assertThat(RegistryProbe.journalAloneKnows(x, y.peerId()))
        .as("a fold of x's journal alone knows y")
        .isFalse();

    xp.remove("node.peers");
    MeshlogNode again = start(xp);

    Await.until(
        "the restarted x in y's mesh",
        () -> y.gossipsub().meshPeers(TOPIC).get().contains(again.peerId()));
    assertThat(journalEvents(again, EventType.DIAL_ATTEMPT))
        .anyMatch(e -> from(e, y) && e.text().contains("restart: from registry"));
  }

  private static String lifecycle(MeshlogNode n) {
    StringBuilder sb = new StringBuilder();
    for (EventType t :
        List.of(
            EventType.PEER_ADDRESS_LEARNED,
            EventType.DIAL_BACKOFF,
            EventType.DIAL_ATTEMPT,
            EventType.DIAL_FAILED,
            EventType.CONNECTION_CLOSED)) {
      for (Event e : journalEvents(n, t)) {
        sb.append("\n  ").append(t).append(' ').append(e.value()).append(' ').append(e.text());
      }
    }
    return sb.toString();
  }

  private static boolean from(Event e, MeshlogNode n) {
    return Arrays.equals(e.peer(), n.peerId().bytes());
  }

  static List<Event> journalEvents(MeshlogNode n, EventType type) {
    return NodeJournals.events(n, type);
  }
}
