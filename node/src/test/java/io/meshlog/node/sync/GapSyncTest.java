package io.meshlog.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.SignedMessage;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.sync.SyncWire.Answer;
import io.meshlog.node.sync.SyncWire.Entry;
import io.meshlog.node.sync.SyncWire.Request;
import io.meshlog.node.sync.SyncWire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gap sync between real nodes: real journals, real RocksDB projections, real libp2p connections on
 * 127.0.0.1.
 */
@Timeout(300)
class GapSyncTest {

  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  /** A node; IHAVE gossip off, so that what a restarted node misses can only come by sync. */
  static NodeConfig config(Path dir, List<String> peers) {
    return NodeConfig.builder(dir)
        .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
        .topics(List.of(TOPIC))
        .peers(peers)
        .gossipsub(GossipsubConfig.builder().dLazy(0).gossipFactor(0).build())
        .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .build();
  }

  private MeshlogNode start(Path dir, List<MeshlogNode> peers) {
    List<String> addresses = new ArrayList<>();
    for (MeshlogNode p : peers) {
      addresses.add(p.listenAddresses().get(0).toString());
    }
    MeshlogNode node = MeshlogNode.start(config(dir, addresses));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldCatchUpBySyncAfterARestartAndJournalWhatCameBySyncAndFromWhom() throws Exception {
    catchUp(60);
  }

  @Test
  @Tag("slow")
  void shouldCatchUpAThousandMessagesBySyncAfterARestart() throws Exception {
    catchUp(1000);
  }

  private void catchUp(int n) throws Exception {
    MeshlogNode a = start(tmp.resolve("a"), List.of());
    MeshlogNode c = start(tmp.resolve("c"), List.of(a));
    MeshlogNode b = start(tmp.resolve("b"), List.of(a, c));
    Await.until(
        "a has b and c in its mesh", () -> a.gossipsub().meshPeers(TOPIC).get().size() == 2);
    a.publish(TOPIC, "before".getBytes()).get();
    Await.until(
        "b received the first message",
        () -> b.counter(io.meshlog.node.NodeCounter.MESSAGES_RECEIVED) == 1);
    b.close();

    for (int i = 0; i < n; i++) {
      (i % 2 == 0 ? a : c).publish(TOPIC, ("m" + i).getBytes()).get();
    }
    Await.until(
        "a and c have each other's messages",
        () ->
            a.counter(io.meshlog.node.NodeCounter.MESSAGES_RECEIVED) == n / 2
                && c.counter(io.meshlog.node.NodeCounter.MESSAGES_RECEIVED) == 1 + (n + 1) / 2);

    long started = System.nanoTime();
    MeshlogNode b2 = start(tmp.resolve("b"), List.of(a, c));
    Await.until(
        "b filled every message it missed",
        Duration.ofSeconds(120),
        () -> b2.syncCounters().get(SyncCounter.MESSAGES_FILLED) == n);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("sync catch-up: %d messages in %.2f s (from start)%n", n, seconds);

    Set<String> published = new TreeSet<>();
    published.addAll(ids(a.journal(), EventType.PUBLISH_MESSAGE, null));
    published.addAll(ids(c.journal(), EventType.PUBLISH_MESSAGE, null));
    Set<PeerId> sources = Set.of(a.peerId(), c.peerId());
    List<Event> synced = events(b2.journal(), EventType.DELIVER_MESSAGE, Via.SYNC);
    List<Event> filled = events(b2.journal(), EventType.GAP_SYNC_FILLED, null);
    assertThat(synced).hasSize(n);
    assertThat(filled).hasSize(n);
    for (Event e : synced) {
      assertThat(sources).contains(PeerId.fromBytes(e.peer()));
    }
    Set<String> atB = new TreeSet<>(ids(b2.journal(), EventType.DELIVER_MESSAGE, null));
    assertThat(atB).as("b holds every message published, each delivered once").isEqualTo(published);
    assertThat(events(b2.journal(), EventType.DELIVER_MESSAGE, null)).hasSize(n + 1);
    assertThat(events(b2.journal(), EventType.GAP_SYNC_REQUESTED, null)).isNotEmpty();
    assertThat(b2.syncCounters().get(SyncCounter.MESSAGES_REFUSED)).isZero();
  }

  @Test
  void shouldRefuseAndScoreDownAPeerAnsweringWithForgedMessagesWhileHonestSyncCompletes()
      throws Exception {
    int n = 30;
    MeshlogNode a = start(tmp.resolve("a"), List.of());
    MeshlogNode f = start(tmp.resolve("f"), List.of(a));
    Await.until("a has f in its mesh", () -> a.gossipsub().meshPeers(TOPIC).get().size() == 1);
    for (int i = 0; i < n; i++) {
      a.publish(TOPIC, ("m" + i).getBytes()).get();
    }
    Await.until(
        "f has every message", () -> f.counter(io.meshlog.node.NodeCounter.MESSAGES_RECEIVED) == n);
    f.host().handle(SyncClient.PROTOCOL, new Forger(f)::handle);

    MeshlogNode b = start(tmp.resolve("b"), List.of(f));
    Await.until(
        "b refused f's forged answers",
        () -> b.syncCounters().get(SyncCounter.MESSAGES_REFUSED) >= 1);
    Await.until("f's score at b went negative", () -> b.gossipsub().score(f.peerId()).get() < 0);
    assertThat(b.syncCounters().get(SyncCounter.MESSAGES_FILLED)).isZero();

    b.keepConnected(a.listenAddresses().get(0));
    Await.until(
        "b filled every message from a",
        () -> b.syncCounters().get(SyncCounter.MESSAGES_FILLED) == n);
    assertThat(b.gossipsub().score(a.peerId()).get()).isGreaterThanOrEqualTo(0);

    List<Event> refused = events(b.journal(), EventType.GAP_SYNC_REFUSED, null);
    assertThat(refused).isNotEmpty();
    assertThat(refused).allMatch(e -> PeerId.fromBytes(e.peer()).equals(f.peerId()));
    List<Event> rejects = events(b.journal(), EventType.REJECT_MESSAGE, null);
    assertThat(rejects).isNotEmpty().allMatch(e -> e.text().startsWith("sync: "));
    for (Event e : events(b.journal(), EventType.DELIVER_MESSAGE, Via.SYNC)) {
      assertThat(PeerId.fromBytes(e.peer())).isEqualTo(a.peerId());
    }
    assertThat(new TreeSet<>(ids(b.journal(), EventType.DELIVER_MESSAGE, null)))
        .isEqualTo(new TreeSet<>(ids(a.journal(), EventType.PUBLISH_MESSAGE, null)));
  }

  /** Sends {@code request} on a new sync stream from {@code from} to {@code to}; the answer. */
  private static Answer ask(MeshlogNode from, MeshlogNode to, SyncWire.Kind kind, byte[] request)
      throws Exception {
    java.util.concurrent.CompletableFuture<Answer> answer =
        new java.util.concurrent.CompletableFuture<>();
    ProtocolStream s = from.host().newStream(to.peerId(), SyncClient.PROTOCOL).get();
    s.setMessageListener(
        1 << 20,
        new MessageListener() {
          @Override
          public void onMessage(ProtocolStream st, byte[] message) {
            answer.complete(SyncWire.decodeAnswer(kind, message));
          }
        });
    s.writeMessage(request);
    return answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void shouldRefuseARequestFloodAndAMalformedRequestJournalThemAndServeOthers() throws Exception {
    NodeConfig limited =
        NodeConfig.builder(tmp.resolve("a"))
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .topics(List.of(TOPIC))
            .sync(SyncConfig.builder().requestRate(1).requestBurst(5).build())
            .build();
    MeshlogNode a = MeshlogNode.start(limited);
    nodes.add(a);
    MeshlogNode flooder = start(tmp.resolve("b"), List.of(a));
    MeshlogNode other = start(tmp.resolve("c"), List.of(a));
    Await.until("b is connected to a", () -> flooder.host().connection(a.peerId()).isPresent());
    Await.until("c is connected to a", () -> other.host().connection(a.peerId()).isPresent());
    byte[] heads = SyncWire.encode(Request.heads(TOPIC, 10));

    int limitedCount = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      Status status = ask(flooder, a, SyncWire.Kind.HEADS, heads).status();
      if (status == Status.RATE_LIMITED) {
        limitedCount++;
      } else {
        assertThat(status).isEqualTo(Status.OK);
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(40 - limitedCount)
        .as("served in %d s", seconds)
        .isLessThanOrEqualTo(5 + 1 + (int) seconds);
    assertThat(limitedCount).as("most of a fast flood is refused").isPositive();
    assertThat(ask(other, a, SyncWire.Kind.HEADS, heads).status())
        .as("another peer is still served")
        .isEqualTo(Status.OK);
    assertThat(ask(other, a, SyncWire.Kind.HEADS, new byte[] {(byte) 0xFF, 1, 2}).status())
        .isEqualTo(Status.BAD_REQUEST);

    Await.until(
        "the malformed request journaled",
        () ->
            rejections(a).stream()
                .anyMatch(
                    e ->
                        e.text().startsWith("sync: malformed request")
                            && PeerId.fromBytes(e.peer()).equals(other.peerId())));
    List<Event> floods =
        rejections(a).stream()
            .filter(e -> e.text().startsWith("sync: over sync.requestRate"))
            .toList();
    assertThat(floods).as("the flood journaled").isNotEmpty();
    assertThat(floods.size())
        .as("once a second per peer, not once per request")
        .isLessThanOrEqualTo(1 + (int) seconds);
    assertThat(floods)
        .allSatisfy(e -> assertThat(PeerId.fromBytes(e.peer())).isEqualTo(flooder.peerId()));
  }

  private static List<Event> rejections(MeshlogNode n) {
    List<Event> out = new ArrayList<>();
    try (io.meshlog.eventlog.JournalReader r = n.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == EventType.INPUT_REJECTED
            && e.text() != null
            && e.text().startsWith("sync: ")) {
          Event copy = new Event().copyFrom(e); // the reader reuses its arrays
          copy.peer(e.peer().clone());
          out.add(copy);
        }
      }
    }
    return out;
  }

  /** Serves the journal's messages with one payload byte changed: the signature no longer holds. */
  private static final class Forger {
    private final MeshlogNode node;

    Forger(MeshlogNode node) {
      this.node = node;
    }

    void handle(ProtocolStream stream) {
      stream.setMessageListener(
          SyncConfig.MAX_REQUEST_BYTES,
          new MessageListener() {
            @Override
            public void onMessage(ProtocolStream s, byte[] message) {
              Request r = SyncWire.decodeRequest(message);
              Answer answer;
              if (r.kind() == SyncWire.Kind.HEADS) {
                List<SyncWire.Head> heads = new ArrayList<>();
                for (Map.Entry<byte[], Long> e :
                    node.projections().originHeads(r.topic(), 100).entrySet()) {
                  heads.add(new SyncWire.Head(e.getKey(), e.getValue()));
                }
                answer = new Answer(Status.OK, "", heads, List.of(), false);
              } else {
                List<Entry> entries = new ArrayList<>();
                try (JournalMessages j = new JournalMessages(node.journal(), node.projections())) {
                  for (long[] row :
                      node.projections().originRange(r.topic(), r.origin(), r.from(), r.to(), 50)) {
                    JournalMessages.Found found = j.at(row[1]);
                    SignedMessage m = found.message();
                    byte[] data = m.data().clone();
                    data[data.length - 1] ^= 1; // the payload's last byte
                    SignedMessage forged =
                        new SignedMessage(
                            m.from(), data, m.seqno(), m.topic(), m.signature(), m.key());
                    entries.add(new Entry(row[0], found.messageId(), forged.encode()));
                  }
                }
                answer = new Answer(Status.OK, "", List.of(), entries, false);
              }
              s.writeMessage(SyncWire.encode(r.kind(), answer))
                  .whenComplete((v, e) -> s.closeWrite());
            }
          });
    }
  }

  private static List<Event> events(Journal journal, EventType type, Via via) {
    List<Event> out = new ArrayList<>();
    try (JournalReader r = journal.reader()) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == type && (via == null || e.via() == via)) {
          out.add(new Event().copyFrom(e));
        }
      }
    }
    return out;
  }

  private static List<String> ids(Journal journal, EventType type, Via via) {
    List<String> out = new ArrayList<>();
    for (Event e : events(journal, type, via)) {
      out.add(HexFormat.of().formatHex(e.messageId()));
    }
    return out;
  }
}
