package io.meshlog.reconciliation.replay;

import static io.meshlog.reconciliation.replay.NodeJournal.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of one message told from five hand-built journals: a publishes it; b gets it by mesh
 * push from a; c, which pruned a from its mesh, is offered it by b's IHAVE and gets it by IWANT 1.5
 * s late, then a duplicate from a; d rejects it; e had crashed and restarts after it went round.
 */
@Timeout(60)
class MessageExplainTest {
  private static final String T = "chat";
  private static final int M = 7;

  @TempDir Path tmp;

  private NodeJournal a;
  private NodeJournal b;
  private NodeJournal c;
  private NodeJournal d;
  private NodeJournal e;
  private int ihaveAtC;
  private int duplicateAtC;
  private int pruneAtC;

  private Event deliver(NodeJournal from, Via via) {
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .peer(from.peer)
        .topic(T)
        .messageId(NodeJournal.messageId(M))
        .origin(a.peer)
        .originSeqno(1)
        .lamport(1)
        .via(via)
        .data(new byte[] {1, 2, 3})
        .size(3);
  }

  @BeforeEach
  void writeJournals() {
    a = new NodeJournal(tmp.resolve("a"), 1);
    b = new NodeJournal(tmp.resolve("b"), 2);
    c = new NodeJournal(tmp.resolve("c"), 3);
    d = new NodeJournal(tmp.resolve("d"), 4);
    e = new NodeJournal(tmp.resolve("e"), 5);
    for (NodeJournal n : List.of(a, b, c, d, e)) {
      n.started(0);
      n.join(1, T);
    }
    a.graft(2, T, b);
    a.graft(2, T, c);
    b.graft(2, T, a);
    b.graft(2, T, c);
    c.graft(2, T, a);
    c.graft(2, T, b);
    e.graft(2, T, a);
    pruneAtC = c.prune(50, T, a);
    c.prune(51, T, b);
    a.publish(100, T, M, 1, 1);
    b.add(101, deliver(a, Via.MESH));
    d.add(
        102,
        new Event()
            .type(EventType.REJECT_MESSAGE)
            .peer(a.peer)
            .topic(T)
            .messageId(NodeJournal.messageId(M))
            .text("invalid signature"));
    Event ihave = new Event().type(EventType.RECV_RPC).peer(b.peer).size(40);
    ihave.rpcCount(RpcPart.IHAVE, 1);
    ihave.addRpcId(RpcPart.IHAVE, NodeJournal.messageId(M));
    ihaveAtC = c.add(1500, ihave);
    c.add(1600, deliver(b, Via.IWANT));
    duplicateAtC = c.duplicate(1700, T, M, a);
    e.started(3000); // e's first run ended at 2 ms without NODE_STOPPED: it crashed
    e.join(3001, T);
    for (NodeJournal n : List.of(a, b, c, d, e)) {
      n.stopped(5000);
      n.write();
    }
  }

  private List<Path> dirs() {
    return Stream.of(a, b, c, d, e).map(n -> n.dataDir).toList();
  }

  private static Explanation.NodeStory at(Explanation x, NodeJournal n) {
    return x.nodes().stream().filter(s -> s.node().equals(n.name())).findFirst().orElseThrow();
  }

  /** The label prose uses for {@code n}: n1, n2... in peer-id order. */
  private String label(NodeJournal n) {
    List<String> names = new ArrayList<>(Stream.of(a, b, c, d, e).map(NodeJournal::name).toList());
    names.sort(null);
    return "n" + (names.indexOf(n.name()) + 1);
  }

  @Test
  void shouldTellEachNodesPartOfTheMessagesLife() {
    Explanation x =
        MessageExplain.explain(dirs(), Hex.of(NodeJournal.messageId(M)), ReplayOptions.defaults());

    assertThat(x.messageId()).isEqualTo("ab0007");
    assertThat(x.origin()).isEqualTo(a.name());
    assertThat(x.publishTimeNanos()).isEqualTo(NodeJournal.T0 + 100 * MS);

    Explanation.NodeStory atA = at(x, a);
    assertThat(atA.verdict()).isEqualTo("published");
    assertThat(atA.route()).isEqualTo("publish");
    assertThat(atA.story()).startsWith(label(a) + " published it at ");

    Explanation.NodeStory atB = at(x, b);
    assertThat(atB.verdict()).isEqualTo("accepted");
    assertThat(atB.route()).isEqualTo("mesh");
    assertThat(atB.forwarder()).isEqualTo(a.name());
    assertThat(atB.delayNanos()).isEqualTo(MS);
    assertThat(atB.meshPeers()).isEqualTo(2);
    assertThat(atB.anomalies()).isEmpty();

    Explanation.NodeStory atC = at(x, c);
    assertThat(atC.route()).isEqualTo("iwant");
    assertThat(atC.forwarder()).isEqualTo(b.name());
    assertThat(atC.ihave().peer()).isEqualTo(b.name());
    assertThat(atC.ihave().index()).isEqualTo(c.index(ihaveAtC));
    assertThat(atC.duplicates()).hasSize(1);
    assertThat(atC.duplicates().get(0).peer()).isEqualTo(a.name());
    assertThat(atC.duplicates().get(0).index()).isEqualTo(c.index(duplicateAtC));
    assertThat(atC.meshPeers()).isZero();
    assertThat(atC.lastPrune().index()).isEqualTo(c.index(pruneAtC) + 1);
    assertThat(atC.anomalies()).containsExactly("late");
    assertThat(atC.story())
        .isEqualTo(
            "reached "
                + label(c)
                + " via IWANT from "
                + label(b)
                + " 1.500 s after publish ("
                + label(b)
                + "'s IHAVE came 1.400 s after publish); "
                + label(c)
                + " had no mesh peer in chat since it pruned "
                + label(b)
                + " at 18:33:20.051; delivery position 0, canonical 0; late: 1.500 s after the"
                + " first delivery (threshold 1.000 s), the hop from "
                + label(b)
                + " took 1.499 s; 1 duplicate receipt(s)");

    Explanation.NodeStory atD = at(x, d);
    assertThat(atD.verdict()).isEqualTo("rejected");
    assertThat(atD.rejectReason()).isEqualTo("invalid signature");
    assertThat(atD.story()).startsWith(label(d) + " rejected it: invalid signature");

    Explanation.NodeStory atE = at(x, e);
    assertThat(atE.delivered()).isFalse();
    assertThat(atE.anomalies()).containsExactly("lost");
    assertThat(atE.story())
        .isEqualTo(
            label(e)
                + " never delivered it: lost, down (its journal stops at 18:33:20.002 and resumes"
                + " at 18:33:23.000 with no NODE_STOPPED: it crashed).");

    assertThat(x.criticalPath())
        .extracting(Explanation.Hop::to)
        .containsExactly(a.name(), b.name(), c.name());
    assertThat(x.criticalPath())
        .extracting(Explanation.Hop::hopNanos)
        .containsExactly(null, MS, 1499 * MS);
    assertThat(x.criticalPath())
        .extracting(Explanation.Hop::route)
        .containsExactly("publish", "mesh", "iwant");
    assertThat(x.why()).isIn(atC.story(), atD.story(), atE.story());
  }

  @Test
  void shouldGiveTheSameExplanationWhateverTheOrderOfTheDirectories() {
    String id = Hex.of(NodeJournal.messageId(M));
    List<Path> reversed = new ArrayList<>(dirs());
    java.util.Collections.reverse(reversed);

    assertThat(MessageExplain.explain(reversed, id, ReplayOptions.defaults()))
        .isEqualTo(MessageExplain.explain(dirs(), id, ReplayOptions.defaults()));
  }

  /**
   * Several messages explained in one more pass of each journal tell the same stories as one
   * explain per message: an IHAVE that lists two of them reaches both trails, a duplicate and a
   * rejection only their own.
   */
  @Test
  void shouldExplainSeveralMessagesInOnePassAsOneByOne() {
    NodeJournal p = new NodeJournal(tmp.resolve("many").resolve("p"), 11);
    NodeJournal q = new NodeJournal(tmp.resolve("many").resolve("q"), 12);
    NodeJournal r = new NodeJournal(tmp.resolve("many").resolve("r"), 13);
    for (NodeJournal n : List.of(p, q, r)) {
      n.started(0);
      n.join(1, T);
    }
    p.graft(2, T, q);
    q.graft(2, T, p);
    r.graft(2, T, q);
    for (int m = 1; m <= 3; m++) {
      p.publish(10 * m, T, m, m, m);
      q.deliver(10 * m + 1, T, m, p, m, m);
    }
    Event ihave = new Event().type(EventType.RECV_RPC).peer(q.peer).size(80);
    ihave.rpcCount(RpcPart.IHAVE, 2);
    ihave.addRpcId(RpcPart.IHAVE, NodeJournal.messageId(3));
    ihave.addRpcId(RpcPart.IHAVE, NodeJournal.messageId(1));
    r.add(40, ihave);
    r.add(
        41,
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .peer(q.peer)
            .topic(T)
            .messageId(NodeJournal.messageId(1))
            .origin(p.peer)
            .originSeqno(1)
            .lamport(1)
            .via(Via.IWANT)
            .data(new byte[] {1, 2, 3})
            .size(3));
    r.duplicate(42, T, 1, q);
    r.add(
        43,
        new Event()
            .type(EventType.REJECT_MESSAGE)
            .peer(q.peer)
            .topic(T)
            .messageId(NodeJournal.messageId(2))
            .text("invalid signature"));
    for (NodeJournal n : List.of(p, q, r)) {
      n.stopped(500);
      n.write();
    }
    List<Path> many = Stream.of(p, q, r).map(n -> n.dataDir).toList();
    ReplayReport report = ReplayAnalysis.analyze(many, ReplayOptions.defaults());
    List<String> ids =
        List.of(3, 1, 2).stream().map(m -> Hex.of(NodeJournal.messageId(m))).toList();

    Map<String, Explanation> all =
        MessageExplain.explainAll(
            many,
            report,
            java.util.stream.Stream.concat(ids.stream(), Stream.of("ab00ff")).toList(),
            ReplayOptions.defaults());

    assertThat(all.keySet())
        .as("in the order asked, unknown ids left out")
        .containsExactlyElementsOf(ids);
    for (String id : ids) {
      assertThat(all.get(id)).isEqualTo(MessageExplain.explain(many, id, ReplayOptions.defaults()));
    }
    assertThat(at(all.get(ids.get(1)), r).ihave()).isNotNull();
    assertThat(at(all.get(ids.get(1)), r).duplicates()).hasSize(1);
    assertThat(at(all.get(ids.get(0)), r).duplicates()).isEmpty();
    assertThat(at(all.get(ids.get(2)), r).verdict()).isEqualTo("rejected");
  }

  @Test
  void shouldNameAnUnknownOrMalformedId() {
    assertThatThrownBy(() -> MessageExplain.explain(dirs(), "ab0008", ReplayOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no message ab0008");
    assertThatThrownBy(() -> MessageExplain.explain(dirs(), "xyz", ReplayOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a hex message id: xyz");
  }
}
