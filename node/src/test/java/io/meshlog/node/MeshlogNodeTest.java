package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.reconciliation.MessageEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class MeshlogNodeTest {

  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private MeshlogNode start(Path dir, List<String> peers) {
    NodeConfig config =
        NodeConfig.builder(dir)
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .topics(List.of(TOPIC))
            .peers(peers)
            .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .build();
    MeshlogNode node = MeshlogNode.start(config);
    nodes.add(node);
    return node;
  }

  @Test
  void shouldDeliverAPublishedMessageWithItsLamportTimeInBothJournals() throws Exception {
    MeshlogNode a = start(tmp.resolve("a"), List.of());
    MeshlogNode b = start(tmp.resolve("b"), List.of(a.listenAddresses().get(0).toString()));
    List<MessageEnvelope> received = new CopyOnWriteArrayList<>();
    b.onMessage((topic, origin, envelope) -> received.add(envelope));
    Await.until(
        "the condition holds",
        Duration.ofSeconds(30),
        () -> !a.gossipsub().meshPeers(TOPIC).get().isEmpty());

    byte[] payload = "hello from a".getBytes(StandardCharsets.UTF_8);
    long before = System.currentTimeMillis() * 1_000_000L;
    a.publish(TOPIC, payload).get();
    Await.until("the condition holds", Duration.ofSeconds(30), () -> !received.isEmpty());

    MessageEnvelope got = received.get(0);
    assertThat(got.payload()).isEqualTo(payload);
    assertThat(got.lamport()).isEqualTo(1);
    assertThat(got.publishTimeNanos()).isGreaterThanOrEqualTo(before);
    assertThat(b.clock().current()).isGreaterThan(got.lamport());
    assertThat(a.counter(NodeCounter.MESSAGES_PUBLISHED)).isEqualTo(1);
    assertThat(b.counter(NodeCounter.MESSAGES_RECEIVED)).isEqualTo(1);
    assertThat(b.counter(NodeCounter.MESSAGES_PLAIN)).isZero();
    assertThat(b.counter(NodeCounter.PEERS_DISCONNECTED)).isZero();

    a.close();
    b.close();
    Event published = find(tmp.resolve("a"), EventType.PUBLISH_MESSAGE);
    Event delivered = find(tmp.resolve("b"), EventType.DELIVER_MESSAGE);
    assertThat(published.lamport()).isEqualTo(1);
    assertThat(delivered.lamport()).isEqualTo(1);
    assertThat(delivered.value()).isEqualTo(got.publishTimeNanos());
    assertThat(delivered.messageId()).isEqualTo(published.messageId());
    assertThat(find(tmp.resolve("b"), EventType.NODE_STOPPED)).isNotNull();
  }

  @Test
  void shouldKeepPeerIdAndResumeJournalSequenceAfterRestart() throws Exception {
    Path dir = tmp.resolve("n");
    MeshlogNode first = start(dir, List.of());
    PeerId id = first.peerId();
    for (int i = 0; i < 3; i++) {
      first.publish(TOPIC, new byte[] {(byte) i}); // alone: held pending; the clock has ticked
    }
    assertThat(first.clock().current()).isEqualTo(3);
    first.close();
    long lastBefore = lastSequence(dir);
    long appliedBefore;
    try (Projections p = Projections.openReadOnly(dir.resolve("projections"))) {
      appliedBefore = p.appliedIndex();
    }
    assertThat(appliedBefore).isGreaterThanOrEqualTo(0);

    MeshlogNode second = start(dir, List.of());
    assertThat(second.peerId()).isEqualTo(id);
    assertThat(second.clock().current()).as("Lamport clock resumes").isEqualTo(3);
    second.close();

    List<Event> started = all(dir, EventType.NODE_STARTED);
    assertThat(started).hasSize(2);
    assertThat(started.get(1).sequence()).isGreaterThan(lastBefore);
    assertThat(started.get(1).peer()).isEqualTo(id.bytes());
    try (Projections p = Projections.openReadOnly(dir.resolve("projections"))) {
      assertThat(p.appliedIndex()).isGreaterThan(appliedBefore);
    }
  }

  @Test
  void shouldNumberEachTopicsEnvelopesWithoutGapOrRepeatAcrossARestart() throws Exception {
    Path dir = tmp.resolve("n");
    MeshlogNode first = start(dir, List.of());
    for (int i = 0; i < 3; i++) {
      first.publish(TOPIC, new byte[] {(byte) i});
    }
    for (int i = 0; i < 2; i++) {
      first.publish("other", new byte[] {(byte) i});
    }
    first.close();
    MeshlogNode second = start(dir, List.of());
    second.publish(TOPIC, new byte[] {9});
    second.publish("other", new byte[] {9});
    second.publish("third", new byte[] {9});
    second.close();

    List<Long> chat = new ArrayList<>();
    List<Long> other = new ArrayList<>();
    List<Long> third = new ArrayList<>();
    for (Event e : all(dir, EventType.MESSAGE_PENDING)) { // alone: every one held pending
      long seq = MessageEnvelope.decode(e.data()).originSequence();
      (TOPIC.equals(e.topic()) ? chat : "other".equals(e.topic()) ? other : third).add(seq);
    }
    assertThat(chat).containsExactly(0L, 1L, 2L, 3L);
    assertThat(other).containsExactly(0L, 1L, 2L);
    assertThat(third).containsExactly(0L);
  }

  @Test
  void shouldHoldWhatIsPublishedWithoutPeersAcrossARestartAndSendItWhenAPeerConnects()
      throws Exception {
    Path dir = tmp.resolve("a");
    MeshlogNode alone = start(dir, List.of());
    for (int i = 0; i < 3; i++) {
      alone.publish(TOPIC, ("offline " + i).getBytes(StandardCharsets.UTF_8));
    }
    alone.close();
    assertThat(all(dir, EventType.MESSAGE_PENDING)).hasSize(3);
    assertThat(all(dir, EventType.PUBLISH_MESSAGE)).isEmpty();

    MeshlogNode a = start(dir, List.of());
    MeshlogNode b = start(tmp.resolve("b"), List.of(a.listenAddresses().get(0).toString()));
    Await.until("b has the three messages", () -> b.counter(NodeCounter.MESSAGES_RECEIVED) == 3);
    a.close();
    b.close();
    List<String> sent = new ArrayList<>();
    for (Event e : all(dir, EventType.MESSAGE_PENDING_SENT)) {
      assertThat(e.text()).isNull();
      sent.add(java.util.HexFormat.of().formatHex(e.messageId()));
    }
    List<String> delivered = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    for (Event e : all(tmp.resolve("b"), EventType.DELIVER_MESSAGE)) {
      delivered.add(java.util.HexFormat.of().formatHex(e.messageId()));
      payloads.add(new String(MessageEnvelope.decode(e.data()).payload(), StandardCharsets.UTF_8));
    }
    assertThat(sent).hasSize(3);
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(payloads).containsExactlyInAnyOrder("offline 0", "offline 1", "offline 2");
  }

  @Test
  void shouldRedialAConfiguredPeerThatComesBackLater() throws Exception {
    MeshlogNode a = start(tmp.resolve("a"), List.of());
    Multiaddr address = a.listenAddresses().get(0);
    MeshlogNode b = start(tmp.resolve("b"), List.of(address.toString()));
    Await.until(
        "the condition holds",
        Duration.ofSeconds(20),
        () -> b.host().connection(a.peerId()).isPresent());

    long dials = b.counter(NodeCounter.DIALS_STARTED);

    b.host().disconnect(a.peerId()).get();
    Await.until(
        "the condition holds",
        Duration.ofSeconds(20),
        () -> b.host().connection(a.peerId()).isPresent());
    assertThat(b.counter(NodeCounter.DIALS_STARTED)).isGreaterThan(dials);
    // The node's dialer dials a configured peer at start; the registry's reconnects do not dial
    // it too (two dialers would race for it, and win or lose the counter above by chance).
    b.close();
    assertThat(all(tmp.resolve("b"), EventType.DIAL_ATTEMPT))
        .noneMatch(
            e -> a.peerId().equals(PeerId.fromBytes(e.peer())) && e.text().contains("restart"));
  }

  private static Event find(Path dataDir, EventType type) {
    List<Event> events = all(dataDir, type);
    assertThat(events).as("%s in %s", type, dataDir).isNotEmpty();
    return events.get(0);
  }

  private static List<Event> all(Path dataDir, EventType type) {
    List<Event> out = new ArrayList<>();
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == type) {
          out.add(new Event().copyFrom(e));
        }
      }
    }
    return out;
  }

  private static long lastSequence(Path dataDir) {
    long last = -1;
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        last = e.sequence();
      }
    }
    return last;
  }
}
