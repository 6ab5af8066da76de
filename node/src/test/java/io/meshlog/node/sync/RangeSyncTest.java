package io.meshlog.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.projection.FinalEntry;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.NodeCounter;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.node.sync.SyncWire.Answer;
import io.meshlog.node.sync.SyncWire.Entry;
import io.meshlog.node.sync.SyncWire.Request;
import io.meshlog.node.sync.SyncWire.Status;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gap sync by final seq between real nodes with a directory as sequencer: real journals, real
 * RocksDB projections, real libp2p connections on 127.0.0.1. Messages without a meshlog envelope
 * (as a js or go peer publishes them) carry no origin sequence, so a node that missed them can only
 * get them by their final seqs.
 */
@Timeout(180)
class RangeSyncTest {

  private static final String TOPIC = "chat";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  private MeshlogNode start(String name, String role, String directory, String peer) {
    Map<String, String> p = new HashMap<>();
    if (role != null) {
      p.put("node.role", role);
    } else {
      p.put("node.topics", TOPIC);
    }
    if (directory != null) {
      p.put("node.directories", directory);
    }
    if (peer != null) {
      p.put("node.peers", peer);
    }
    return start(name, p);
  }

  private MeshlogNode start(String name, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.interval", "1s");
    p.put("discovery.meshCheck", "300ms");
    p.put("directory.minTtl", "1s");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    // no IHAVE gossip: what a stopped node missed can only come by sync
    p.put("gossipsub.dLazy", "0");
    p.put("gossipsub.gossipFactor", "0");
    p.put("reconciliation.holdBack", "50ms");
    p.put("reconciliation.resubmitInterval", "300ms");
    p.putAll(extra);
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  @Test
  void shouldFetchByFinalSeqWhatARestartedNodeMissedIncludingMessagesWithoutAnEnvelope()
      throws Exception {
    MeshlogNode d = start("directory", "directory", null, null);
    String dirAddress = d.listenAddresses().get(0).toString();
    MeshlogNode a = start("a", null, dirAddress, null);
    MeshlogNode b = start("b", null, dirAddress, a.listenAddresses().get(0).toString());
    for (MeshlogNode n : List.of(a, b)) {
      Await.until("the sequencer reachable at " + n.peerId(), n::sequencerReachable);
    }
    Await.until(
        "a and b in each other's mesh",
        () -> a.gossipsub().meshPeers(TOPIC).get().contains(b.peerId()));
    a.publish(TOPIC, "before".getBytes()).get();
    Await.until("b received the first message", () -> received(b) == 1);
    Await.until("b holds its final position", () -> finals(b).size() == 1);
    b.close();

    int n = 10;
    Set<String> enveloped = new TreeSet<>();
    Set<String> bare = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      enveloped.add(HEX.formatHex(a.publish(TOPIC, ("m" + i).getBytes()).get()));
      bare.add(HEX.formatHex(a.gossipsub().publish(TOPIC, ("js-like " + i).getBytes()).get()));
    }
    Await.until("a holds all 21 final", () -> finals(a).size() == 2 * n + 1);

    MeshlogNode b2 = start("b", null, dirAddress, a.listenAddresses().get(0).toString());
    Await.until(
        "b filled all it missed",
        Duration.ofSeconds(60),
        () -> b2.syncCounters().get(SyncCounter.MESSAGES_FILLED) == 2 * n);

    Map<String, Event> byRange = filled(b2, "by-range");
    Map<String, Event> byOrigin = filled(b2, "by-origin");
    assertThat(byRange.keySet()).as("what has no envelope came by final seq").isEqualTo(bare);
    assertThat(byOrigin.keySet()).as("the rest by origin, first").isEqualTo(enveloped);
    Map<String, FinalEntry> atA = new HashMap<>();
    for (FinalEntry f : finals(a)) {
      atA.put(HEX.formatHex(f.messageId()), f);
    }
    for (Map.Entry<String, Event> e : byRange.entrySet()) {
      assertThat(e.getValue().value())
          .as("GAP_SYNC_FILLED value is the final seq listed")
          .isEqualTo(atA.get(e.getKey()).seq());
      assertThat(e.getValue().epoch()).isEqualTo(atA.get(e.getKey()).epoch());
    }
    Set<String> synced = new TreeSet<>();
    for (Event e : events(b2, EventType.DELIVER_MESSAGE)) {
      if (e.via() == Via.SYNC) {
        synced.add(HEX.formatHex(e.messageId()));
      }
    }
    Set<String> all = new TreeSet<>(bare);
    all.addAll(enveloped);
    assertThat(synced).isEqualTo(all);
    assertThat(b2.syncCounters().get(SyncCounter.MESSAGES_REFUSED)).isZero();

    // and b's final order becomes a's, position for position
    Await.until(
        "b holds a's final order",
        Duration.ofSeconds(60),
        () -> rowsOf(finals(b2)).equals(rowsOf(finals(a))));
  }

  @Test
  void shouldFetchByFinalSeqAMessageThatAConfirmationNamesAndGossipNeverBrought() throws Exception {
    // The directory is an identity whose signed confirmations a relay publishes: it never answers,
    // so the nodes hold exactly the confirmations given here.
    Identity directory = Identity.generate();
    String dirs = "/ip4/127.0.0.1/tcp/9/p2p/" + directory.peerId();
    MeshlogNode c = start("c", null, dirs, null);
    List<byte[]> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(c.gossipsub().publish(TOPIC, ("bare " + i).getBytes()).get()); // c has no peer yet
    }
    MeshlogNode b = start("b", null, dirs, c.listenAddresses().get(0).toString());
    Await.until(
        "b's catch-up with c is over (c had nothing final)",
        () -> c.syncCounters().get(SyncCounter.REQUESTS_SERVED) >= 2);
    assertThat(received(b)).isZero();

    MeshlogNode relay =
        start(
            "relay",
            Map.of("node.peers", c.listenAddresses().get(0) + "," + b.listenAddresses().get(0)));
    Await.until(
        "the relay sees b and c on the confirm topic",
        () ->
            relay
                .gossipsub()
                .topicPeers(SequencerWire.CONFIRM_TOPIC)
                .get()
                .containsAll(List.of(b.peerId(), c.peerId())));
    List<Assignment> batch = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      batch.add(
          new Assignment(
              new OrderedMessage(
                  TOPIC,
                  MessageKey.of(ids.get(i)),
                  OrderedMessage.ABSENT,
                  c.peerId().bytes(),
                  OrderedMessage.ABSENT),
              new FinalPosition(1, i)));
    }
    relay
        .gossipsub()
        .publish(SequencerWire.CONFIRM_TOPIC, SequencerWire.confirm(directory, batch))
        .get();

    Await.until(
        "b fetched the three messages its confirmations name",
        () -> b.syncCounters().get(SyncCounter.MESSAGES_FILLED) == 3);
    Map<String, Event> byRange = filled(b, "by-range");
    Set<String> expected = new TreeSet<>();
    ids.forEach(id -> expected.add(HEX.formatHex(id)));
    assertThat(byRange.keySet()).isEqualTo(expected);
    assertThat(byRange.values())
        .allMatch(e -> io.meshlog.node.p2p.PeerId.fromBytes(e.peer()).equals(c.peerId()));
    Await.until(
        "b's order of the topic is the three, final, in seq order",
        () ->
            b.order(TOPIC).stream()
                .map(r -> r.isFinal() ? HEX.formatHex(r.message().id().bytes()) : "provisional")
                .toList()
                .equals(ids.stream().map(HEX::formatHex).toList()));
  }

  @Test
  void shouldServeAFinalSeqRangeAndTheFinalIdsListingFromTheJournal() throws Exception {
    MeshlogNode d = start("directory", "directory", null, null);
    String dirAddress = d.listenAddresses().get(0).toString();
    MeshlogNode a = start("a", null, dirAddress, null);
    Await.until("the sequencer reachable at a", a::sequencerReachable);
    // e takes the directory's confirmations without subscribing to the topic: final rows, no
    // messages
    MeshlogNode bystander =
        start(
            "e",
            Map.of(
                "node.topics",
                "other",
                "node.directories",
                dirAddress,
                "node.peers",
                a.listenAddresses().get(0).toString()));
    Await.until("e reaches the sequencer", bystander::sequencerReachable);
    for (int i = 0; i < 8; i++) {
      a.gossipsub().publish(TOPIC, ("bare " + i).getBytes()).get();
    }
    Await.until("a holds 8 final", () -> finals(a).size() == 8);
    List<FinalEntry> order = finals(a);
    MeshlogNode c = start("c", null, dirAddress, a.listenAddresses().get(0).toString());
    Await.until("c is connected to a", () -> c.host().connection(a.peerId()).isPresent());

    Answer range =
        ask(c, a, SyncWire.Kind.BY_RANGE, SyncWire.encode(Request.byRange(TOPIC, 0, 2, 5, 3, 0)));
    assertThat(range.status()).isEqualTo(Status.OK);
    assertThat(range.entries()).extracting(Entry::sequence).containsExactly(2L, 3L, 4L);
    for (Entry e : range.entries()) {
      assertThat(e.messageId()).isEqualTo(order.get((int) e.sequence()).messageId());
    }
    assertThat(range.more()).as("a limit cut it short").isTrue();

    Answer otherEpoch =
        ask(
            c,
            a,
            SyncWire.Kind.BY_RANGE,
            SyncWire.encode(Request.byRange(TOPIC, order.get(0).epoch() + 1, 0, 7, 100, 0)));
    assertThat(otherEpoch.entries()).as("an epoch filter of another epoch").isEmpty();

    Answer listing =
        ask(
            c,
            a,
            SyncWire.Kind.FINAL_IDS,
            SyncWire.encode(Request.finalIds(TOPIC, 0, 5, Long.MAX_VALUE, 100, 0)));
    assertThat(listing.finalHead()).isEqualTo(7);
    assertThat(listing.more()).isFalse();
    assertThat(listing.finals()).extracting(SyncWire.Final::seq).containsExactly(5L, 6L, 7L);
    assertThat(listing.finals().get(0).messageId()).isEqualTo(order.get(5).messageId());
    assertThat(listing.finals().get(0).epoch()).isEqualTo(order.get(5).epoch());
    assertThat(listing.finalThrough()).isEqualTo(7);

    Await.until("e holds 8 final", () -> finals(bystander).size() == 8);
    Answer page =
        ask(
            a,
            bystander,
            SyncWire.Kind.FINAL_IDS,
            SyncWire.encode(Request.finalIds(TOPIC, 0, 0, Long.MAX_VALUE, 3, 0)));
    assertThat(page.finals()).as("e holds none of the messages").isEmpty();
    assertThat(page.more()).as("a page that lists nothing still says there is more").isTrue();
    assertThat(page.finalThrough()).as("and how far it looked").isEqualTo(2);

    Answer unknown =
        ask(
            c,
            a,
            SyncWire.Kind.FINAL_IDS,
            SyncWire.encode(Request.finalIds("no-such-topic", 0, 0, Long.MAX_VALUE, 100, 0)));
    assertThat(unknown.status()).isEqualTo(Status.OK);
    assertThat(unknown.finalHead()).isEqualTo(-1);
    assertThat(unknown.finals()).isEmpty();
  }

  @Test
  void shouldRefuseAndScoreDownAPeerServingOtherMessagesThanItListedWhileHonestSyncCompletes()
      throws Exception {
    MeshlogNode d = start("directory", "directory", null, null);
    String dirAddress = d.listenAddresses().get(0).toString();
    MeshlogNode a = start("a", null, dirAddress, null);
    MeshlogNode f = start("f", null, dirAddress, a.listenAddresses().get(0).toString());
    for (MeshlogNode n : List.of(a, f)) {
      Await.until("the sequencer reachable at " + n.peerId(), n::sequencerReachable);
    }
    Await.until(
        "a and f in each other's mesh",
        () -> a.gossipsub().meshPeers(TOPIC).get().contains(f.peerId()));
    int n = 12;
    for (int i = 0; i < n; i++) {
      a.gossipsub().publish(TOPIC, ("bare " + i).getBytes()).get();
    }
    Await.until("f holds all final", () -> finals(f).size() == n);
    f.host().handle(SyncClient.PROTOCOL, new Forger(f)::handle);

    // b has no directory: what it learns of the final order comes only from f's listing
    MeshlogNode b = start("b", null, null, f.listenAddresses().get(0).toString());
    Await.until(
        "b refused f's answers", () -> b.syncCounters().get(SyncCounter.MESSAGES_REFUSED) >= 2);
    Await.until("f's score at b went negative", () -> b.gossipsub().score(f.peerId()).get() < 0);
    assertThat(b.syncCounters().get(SyncCounter.MESSAGES_FILLED)).isZero();
    List<String> reasons = new ArrayList<>();
    for (Event e : events(b, EventType.GAP_SYNC_REFUSED)) {
      reasons.add(e.text());
    }
    assertThat(reasons).anyMatch(r -> r.startsWith("not the message listed at final seq "));

    b.keepConnected(a.listenAddresses().get(0));
    Await.until(
        "b filled every message from a",
        () -> b.syncCounters().get(SyncCounter.MESSAGES_FILLED) == n);
    for (Event e : events(b, EventType.DELIVER_MESSAGE)) {
      assertThat(e.via()).isEqualTo(Via.SYNC);
      assertThat(io.meshlog.node.p2p.PeerId.fromBytes(e.peer())).isEqualTo(a.peerId());
    }
    assertThat(filled(b, "by-range")).hasSize(n);
  }

  /**
   * Lists its final order honestly and answers a range with the message one seq later (a real,
   * signed message, under its own id): what a peer that serves the wrong position would send.
   */
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
              List<FinalEntry> rows = node.projections().finalOrder(r.topic(), r.from(), 1000);
              Answer answer =
                  switch (r.kind()) {
                    case HEADS -> new Answer(Status.OK, "", List.of(), List.of(), false);
                    case FINAL_IDS -> {
                      List<SyncWire.Final> listed = new ArrayList<>();
                      for (FinalEntry e : rows) {
                        listed.add(new SyncWire.Final(e.seq(), e.epoch(), e.messageId()));
                      }
                      long head = rows.get(rows.size() - 1).seq();
                      yield Answer.finals(head, head, listed, false);
                    }
                    default -> {
                      List<Entry> entries = new ArrayList<>();
                      try (JournalMessages j =
                          new JournalMessages(node.journal(), node.projections())) {
                        for (int i = 0; i + 1 < rows.size() && rows.get(i).seq() <= r.to(); i++) {
                          FinalEntry next = rows.get(i + 1);
                          JournalMessages.Found found =
                              j.at(node.projections().messageIndex(next.messageId()).getAsLong());
                          entries.add(
                              new Entry(
                                  rows.get(i).seq(), found.messageId(), found.message().encode()));
                        }
                      }
                      yield new Answer(Status.OK, "", List.of(), entries, false);
                    }
                  };
              s.writeMessage(SyncWire.encode(r.kind(), answer))
                  .whenComplete((v, e) -> s.closeWrite());
            }
          });
    }
  }

  private static List<String> rowsOf(List<FinalEntry> finals) {
    List<String> out = new ArrayList<>();
    for (FinalEntry f : finals) {
      out.add(f.epoch() + ":" + f.seq() + ":" + HEX.formatHex(f.messageId()));
    }
    return out;
  }

  private static List<FinalEntry> finals(MeshlogNode n) {
    return n.projections().finalOrder(TOPIC, 0, 100_000);
  }

  private static long received(MeshlogNode n) {
    return n.counter(NodeCounter.MESSAGES_RECEIVED);
  }

  /** GAP_SYNC_FILLED records asked {@code how}, by message id. */
  private static Map<String, Event> filled(MeshlogNode n, String how) {
    Map<String, Event> out = new HashMap<>();
    for (Event e : events(n, EventType.GAP_SYNC_FILLED)) {
      if (how.equals(e.text())) {
        out.put(HEX.formatHex(e.messageId()), e);
      }
    }
    return out;
  }

  private static List<Event> events(MeshlogNode n, EventType type) {
    List<Event> out = new ArrayList<>();
    try (JournalReader r = n.journal().reader()) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == type) {
          Event copy = new Event().copyFrom(e);
          copy.messageId(e.messageId() == null ? null : e.messageId().clone());
          out.add(copy);
        }
      }
    }
    return out;
  }

  private static Answer ask(MeshlogNode from, MeshlogNode to, SyncWire.Kind kind, byte[] request)
      throws Exception {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    ProtocolStream s = from.host().newStream(to.peerId(), SyncClient.PROTOCOL).get();
    s.setMessageListener(
        1 << 22,
        new MessageListener() {
          @Override
          public void onMessage(ProtocolStream st, byte[] message) {
            answer.complete(SyncWire.decodeAnswer(kind, message));
          }
        });
    s.writeMessage(request);
    return answer.get(30, TimeUnit.SECONDS);
  }
}
