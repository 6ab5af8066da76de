package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nodes on 127.0.0.1 with a directory as sequencer: every node ends with the same final order;
 * with the directory away messages stay provisional; when it is back (a new epoch) they are
 * submitted, confirmed and every node holds one identical, all-final order.
 */
@Timeout(180)
class SequencerMeshTest {

  private static final String TOPIC = "chat";
  private static final int NODES = 3;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();
  private final List<MeshlogNode> others = new ArrayList<>();
  private MeshlogNode directory;

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
    for (MeshlogNode n : others) {
      n.close();
    }
    if (directory != null) {
      directory.close();
    }
  }

  private static Map<String, String> settings(Path dir, String listen) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.toString());
    p.put("node.listen", listen);
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.ttl", "30s");
    p.put("discovery.refreshInterval", "5s");
    p.put("discovery.interval", "2s");
    p.put("discovery.meshCheck", "300ms");
    p.put("directory.minTtl", "1s");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    p.put("reconciliation.holdBack", "50ms");
    p.put("reconciliation.resubmitInterval", "300ms");
    return p;
  }

  private MeshlogNode startDirectory(String listen) {
    Map<String, String> p = settings(tmp.resolve("directory"), listen);
    p.put("node.role", "directory");
    directory = MeshlogNode.start(NodeConfig.fromProperties(p));
    return directory;
  }

  private MeshlogNode startNode(int i, Multiaddr directoryAddress) {
    MeshlogNode n = startOther(i, directoryAddress);
    others.remove(n);
    nodes.add(n);
    return n;
  }

  /** A node outside {@link #nodes}, whose order the checks below do not compare. */
  private MeshlogNode startOther(int i, Multiaddr directoryAddress) {
    Map<String, String> p = settings(tmp.resolve("n" + i), "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", TOPIC);
    p.put("node.directories", directoryAddress.toString());
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    others.add(n);
    return n;
  }

  /**
   * Sets where node {@code i}'s Lamport clock resumes: an earlier run stopped at {@code lamport}.
   */
  private void clockAt(int i, long lamport) {
    try (io.meshlog.eventlog.Journal journal =
        io.meshlog.eventlog.disk.Journals.open(
            io.meshlog.eventlog.JournalConfig.builder(tmp.resolve("n" + i).resolve("journal"))
                .build(),
            List.of())) {
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.NODE_STOPPED)
                  .timeNanos(System.currentTimeMillis() * 1_000_000L)
                  .lamport(lamport)
                  .text("earlier run"));
    }
  }

  /** A directory and {@link #NODES} nodes, each with the sequencer reachable and a full mesh. */
  private Multiaddr startMesh() {
    MeshlogNode dir = startDirectory("/ip4/127.0.0.1/tcp/0");
    Multiaddr address = dir.listenAddresses().get(0);
    for (int i = 0; i < NODES; i++) {
      startNode(i, address);
    }
    for (MeshlogNode n : nodes) {
      awaitSequencerAndMesh(n, NODES - 1);
    }
    return address;
  }

  private void awaitSequencerAndMesh(MeshlogNode n, int meshPeers) {
    Await.until(
        "sequencer reachable at " + n.peerId() + describe(),
        Duration.ofSeconds(60),
        n::sequencerReachable);
    Await.until(
        "a mesh peer at " + n.peerId(),
        Duration.ofSeconds(30),
        () -> n.gossipsub().meshPeers(TOPIC).get().size() >= meshPeers);
  }

  private void publishRound(String round, int each) throws Exception {
    for (int k = 0; k < each; k++) {
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).publish(TOPIC, (round + i + "-" + k).getBytes(StandardCharsets.UTF_8)).get();
      }
    }
  }

  private static List<MessageKey> ids(List<OrderRow> rows) {
    return rows.stream().map(r -> r.message().id()).toList();
  }

  private void awaitOneFinalOrder(int rows, Duration limit) {
    Await.until(
        "every node with " + rows + " final rows, all in the same order: " + describe(),
        limit,
        () -> {
          List<MessageKey> first = null;
          for (MeshlogNode n : nodes) {
            List<OrderRow> order = n.order(TOPIC);
            if (order.size() != rows || !order.stream().allMatch(OrderRow::isFinal)) {
              return false;
            }
            if (first == null) {
              first = ids(order);
            } else if (!first.equals(ids(order))) {
              return false;
            }
          }
          return true;
        });
  }

  private String describe() {
    StringBuilder sb = new StringBuilder();
    for (MeshlogNode n : nodes) {
      List<OrderRow> order = n.order(TOPIC);
      sb.append("\n ")
          .append(n.peerId().toBase58(), 0, 8)
          .append(" rows=")
          .append(order.size())
          .append(" final=")
          .append(order.stream().filter(OrderRow::isFinal).count())
          .append(" reachable=")
          .append(n.sequencerReachable());
    }
    return sb.toString();
  }

  @Test
  void shouldHoldOneFinalOrderOnEveryNodeThroughADirectoryOutage() throws Exception {
    Multiaddr address = startMesh();
    Await.until(
        "the directory in the topic mesh",
        Duration.ofSeconds(30),
        () -> directory.gossipsub().meshPeers(TOPIC).get().size() >= 1);

    publishRound("before-", 5);
    awaitOneFinalOrder(NODES * 5, Duration.ofSeconds(60));
    List<MessageKey> before = ids(nodes.get(0).order(TOPIC));

    // The directory goes away: gossip goes on, new messages stay provisional.
    int port = address.tcpPort();
    for (MeshlogNode n : nodes) {
      assertThat(n.counter(NodeCounter.SEQUENCER_REACHABLE))
          .as("the gauge, reachable")
          .isEqualTo(1);
    }
    assertThat(directory.counter(NodeCounter.SEQUENCER_REACHABLE))
        .as("a directory without directories")
        .isEqualTo(-1);
    directory.close();
    directory = null;
    for (MeshlogNode n : nodes) {
      Await.until("sequencer unreachable at " + n.peerId(), () -> !n.sequencerReachable());
      assertThat(n.counter(NodeCounter.SEQUENCER_REACHABLE)).isZero();
    }
    publishRound("during-", 5);
    for (MeshlogNode n : nodes) {
      Await.until(
          "the outage's messages at " + n.peerId() + describe(),
          () -> n.order(TOPIC).size() == NODES * 10);
      assertThat(n.order(TOPIC).stream().filter(r -> !r.isFinal()).count())
          .as("provisional while the directory is away")
          .isEqualTo(NODES * 5);
      assertThat(n.orderStats())
          .filteredOn(s -> s.topic().equals(TOPIC))
          .singleElement()
          .satisfies(s -> assertThat(s.unconfirmed()).isEqualTo(NODES * 5));
    }

    // Back, with a new epoch: the nodes submit what is unconfirmed and reorder.
    startDirectory("/ip4/127.0.0.1/tcp/" + port);
    awaitOneFinalOrder(NODES * 10, Duration.ofSeconds(90));
    for (MeshlogNode n : nodes) {
      List<OrderRow> order = n.order(TOPIC);
      assertThat(ids(order).subList(0, NODES * 5))
          .as("final positions never change")
          .isEqualTo(before);
      assertThat(order.get(0).position().epoch()).isEqualTo(1);
      assertThat(order.get(order.size() - 1).position().epoch()).isEqualTo(2);
      assertThat(order.get(order.size() - 1).position().seq()).isEqualTo(NODES * 10 - 1);
      assertThat(types(n)).contains(EventType.SEQUENCER_REACHABLE, EventType.SEQUENCER_UNREACHABLE);
      assertThat(n.counter(NodeCounter.CONFIRMATIONS_APPLIED))
          .as("the restarted directory's new positions at least")
          .isGreaterThanOrEqualTo(NODES * 5);
    }
    assertThat(types(directory)).contains(EventType.SEQUENCER_STARTED);
    assertThat(directory.counter(NodeCounter.MESSAGES_FINALIZED)).isEqualTo(NODES * 5);
    assertThat(directory.counter(NodeCounter.CONFIRMATIONS_SENT)).isPositive();
  }

  /**
   * The clock bound at receivers: the mesh runs at Lamport 10^7 and a new node (clock 0) still
   * takes its messages, since the bound is measured from the highest time the sequencer confirmed;
   * a node whose clock jumped far beyond it is rejected everywhere (journaled with the reason,
   * scored down) and moves no one's clock, and honest gossip goes on.
   */
  @Test
  void shouldRejectALamportJumpAboveTheConfirmedTimeWhileANewNodeAcceptsAMeshFarAhead()
      throws Exception {
    long far = 10_000_000L;
    clockAt(0, far);
    clockAt(1, far);
    clockAt(3, 1_000_000_000L); // n3 jumps; n2 is new
    Multiaddr address = startMesh();
    for (int k = 0; k < 3; k++) {
      nodes.get(k % 2).publish(TOPIC, ("far-" + k).getBytes(StandardCharsets.UTF_8)).get();
    }
    awaitOneFinalOrder(3, Duration.ofSeconds(60)); // the new node n2 among them
    assertThat(nodes.get(2).order(TOPIC))
        .allSatisfy(r -> assertThat(r.message().lamport()).isGreaterThan(far));

    MeshlogNode jumper = startOther(3, address);
    awaitSequencerAndMesh(jumper, 1);
    // A rejected message is not forwarded: it reaches a node only from the jumper itself, which
    // flood-publishes to every peer in the topic.
    for (MeshlogNode n : nodes) {
      Await.until(
          "the jumper connected to " + n.peerId(),
          Duration.ofSeconds(30),
          () -> jumper.gossipsub().topicPeers(TOPIC).get().contains(n.peerId()));
    }
    jumper.publish(TOPIC, "jump".getBytes(StandardCharsets.UTF_8)).get();
    for (MeshlogNode n : nodes) {
      Await.until(
          "the jump rejected at " + n.peerId(),
          () ->
              NodeJournals.texts(n, EventType.REJECT_MESSAGE).stream()
                  .anyMatch(t -> t.contains("reconciliation.maxLamportJump")));
    }
    for (MeshlogNode n : nodes) {
      // it came from the jumper, which is scored down for an invalid message
      assertThat(n.gossipsub().score(jumper.peerId()).get()).as("at " + n.peerId()).isNegative();
    }

    nodes.get(2).publish(TOPIC, "after".getBytes(StandardCharsets.UTF_8)).get();
    awaitOneFinalOrder(4, Duration.ofSeconds(60));
    for (MeshlogNode n : nodes) {
      assertThat(n.order(TOPIC))
          .as("no clock moved to the jump")
          .allSatisfy(r -> assertThat(r.message().lamport()).isLessThan(far + 1_000));
    }
  }

  private static List<EventType> types(MeshlogNode n) {
    List<EventType> out = new ArrayList<>();
    try (JournalReader r =
        io.meshlog.eventlog.disk.Journals.openReader(n.config().dataDir().resolve("journal"))) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        out.add(e.type());
      }
    }
    return out;
  }
}
