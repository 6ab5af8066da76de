package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderedMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node configured with two directories that both sequence its topic: it applies the confirmations
 * of one, its sequencer for the topic, and refuses and journals the other's, so that no message
 * gets two final positions. Real nodes on 127.0.0.1; the two directories' signed confirmations
 * reach the node by gossip from a peer, as a directory's do (the directories themselves are
 * identities: their addresses are never reached, so none is found reachable).
 */
@Timeout(60)
class SecondSequencerTest {
  private static final String CHAT = "chat";
  private static final String OTHER = "other";

  @TempDir Path tmp;

  private final Identity first = Identity.generate();
  private final Identity second = Identity.generate();
  private final List<MeshlogNode> nodes = new ArrayList<>();
  private int ids;

  @AfterEach
  void closeNodes() {
    nodes.forEach(MeshlogNode::close);
  }

  private MeshlogNode start(String name, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", CHAT + "," + OTHER);
    p.putAll(extra);
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  private static String directories(Identity... in) {
    List<String> out = new ArrayList<>();
    for (Identity d : in) {
      out.add("/ip4/127.0.0.1/tcp/9/p2p/" + d.peerId());
    }
    return String.join(",", out);
  }

  /** A node with {@code dirs} and a peer that relays confirmations to it. */
  private MeshlogNode[] nodeAndRelay(String name, Identity... dirs) {
    MeshlogNode n = start(name, Map.of("node.directories", directories(dirs)));
    MeshlogNode relay =
        start(name + "-relay", Map.of("node.peers", n.listenAddresses().get(0).toString()));
    Await.until(
        "the relay sees the node on the confirm topic",
        () -> relay.gossipsub().topicPeers(SequencerWire.CONFIRM_TOPIC).get().contains(n.peerId()));
    return new MeshlogNode[] {n, relay};
  }

  private MessageKey message() {
    return MessageKey.of(new byte[] {9, 9, (byte) ++ids});
  }

  private static Assignment assignment(String topic, MessageKey id, long epoch, long seq) {
    return new Assignment(
        new OrderedMessage(topic, id, 100, new byte[] {1}, 1), new FinalPosition(epoch, seq));
  }

  private static void confirm(MeshlogNode relay, Identity signer, Assignment... batch)
      throws Exception {
    relay
        .gossipsub()
        .publish(SequencerWire.CONFIRM_TOPIC, SequencerWire.confirm(signer, List.of(batch)))
        .get();
  }

  private static boolean assigned(MeshlogNode n, MessageKey id) {
    return NodeJournals.events(n, EventType.SEQUENCE_ASSIGNED).stream()
        .anyMatch(e -> Arrays.equals(e.messageId(), id.bytes()));
  }

  private List<Event> secondSequencerRefusals(MeshlogNode n) {
    return NodeJournals.events(n, EventType.INPUT_REJECTED).stream()
        .filter(e -> e.text().startsWith("sequencer: second sequencer for "))
        .toList();
  }

  @Test
  void shouldApplyOneDirectorysConfirmationsPerTopicAndRefuseTheOthers() throws Exception {
    MeshlogNode[] pair = nodeAndRelay("n", first, second);
    MeshlogNode n = pair[0];
    MeshlogNode relay = pair[1];
    MessageKey a = message();
    confirm(relay, first, assignment(CHAT, a, 1, 0));
    Await.until("the first directory's confirmation applied", () -> assigned(n, a));

    MessageKey b = message();
    MessageKey c = message();
    confirm(relay, second, assignment(CHAT, b, 4, 0), assignment(OTHER, c, 4, 1));
    confirm(relay, second, assignment(CHAT, message(), 4, 2));
    Await.until("the second sequencer journaled", () -> !secondSequencerRefusals(n).isEmpty());
    // After the second directory's batches, one of the first's: once it is applied, the ones
    // before it were decided.
    MessageKey d = message();
    confirm(relay, first, assignment(OTHER, d, 1, 1));
    Await.until("the first directory's confirmation in the other topic", () -> assigned(n, d));

    assertThat(assigned(n, b)).as("the second directory's position of b").isFalse();
    assertThat(assigned(n, c))
        .as("a topic without a sequencer takes the node's first directory, not the second")
        .isFalse();
    List<Event> refusals = secondSequencerRefusals(n);
    assertThat(refusals).as("journaled once per topic and directory").hasSize(1);
    Event refusal = refusals.get(0);
    assertThat(refusal.peer()).isEqualTo(second.peerId().bytes());
    assertThat(refusal.topic()).isEqualTo(CHAT);
    assertThat(refusal.text()).endsWith("the topic's sequencer is " + first.peerId());
    assertThat(
            NodeJournals.events(n, EventType.SEQUENCE_ASSIGNED).stream()
                .map(Event::peer)
                .filter(p -> !Arrays.equals(p, first.peerId().bytes())))
        .as("every position applied is the first directory's")
        .isEmpty();
    assertThat(n.counter(NodeCounter.CONFIRMATIONS_APPLIED)).isEqualTo(2);
    assertThat(n.counter(NodeCounter.CONFIRMATIONS_REFUSED))
        .as("b and the third in chat, c in the other topic")
        .isEqualTo(3);
  }

  @Test
  void shouldKeepATopicsSequencerAcrossARestart() throws Exception {
    MeshlogNode[] pair = nodeAndRelay("n", first, second);
    MessageKey a = message();
    confirm(pair[1], first, assignment(CHAT, a, 1, 0));
    Await.until("the first directory's confirmation applied", () -> assigned(pair[0], a));
    for (MeshlogNode m : pair) {
      m.close();
      nodes.remove(m);
    }

    // Now the second directory comes first in the node's list: chat keeps the sequencer its
    // journal names, and the second directory is refused for it.
    MeshlogNode[] again = nodeAndRelay("n", second, first);
    MeshlogNode n = again[0];
    MessageKey b = message();
    confirm(again[1], second, assignment(CHAT, b, 4, 0));
    Await.until("the second sequencer journaled", () -> !secondSequencerRefusals(n).isEmpty());
    MessageKey c = message();
    confirm(again[1], first, assignment(CHAT, c, 1, 1));
    Await.until("the first directory's next confirmation applied", () -> assigned(n, c));
    assertThat(assigned(n, b)).isFalse();
  }

  @Test
  void shouldJournalAtADirectoryThatAnotherDirectorySequencesItsTopic() throws Exception {
    MeshlogNode directory =
        start("directory", Map.of("node.role", "directory", "reconciliation.holdBack", "50ms"));
    MeshlogNode n =
        start(
            "n",
            Map.of(
                "node.directories",
                directory.listenAddresses().get(0).toString(),
                "reconciliation.resubmitInterval",
                "300ms"));
    // The directory sequences chat once n registered it there: n's message is confirmed.
    MessageKey hello =
        MessageKey.of(n.publish(CHAT, "hello".getBytes(StandardCharsets.UTF_8)).get());
    Await.until(
        "n's message confirmed by its directory", Duration.ofSeconds(30), () -> assigned(n, hello));

    // n relays a confirmation of chat that another directory signed.
    confirm(n, second, assignment(CHAT, message(), 4, 0));
    Await.until(
        "the second sequencer journaled at the directory",
        () -> !secondSequencerRefusals(directory).isEmpty());
    Event seen = secondSequencerRefusals(directory).get(0);
    assertThat(seen.peer()).isEqualTo(second.peerId().bytes());
    assertThat(seen.topic()).isEqualTo(CHAT);
    assertThat(seen.text()).contains(second.peerId() + " confirms it too");
    assertThat(directory.counter(NodeCounter.RIVAL_CONFIRMATIONS)).isEqualTo(1);
  }
}
