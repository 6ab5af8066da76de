package io.meshlog.reconciliation.replay;

import static io.meshlog.reconciliation.replay.NodeJournal.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Planted anomalies, one scenario each: replay reports exactly what was planted. */
@Timeout(60)
class ReplayAnalysisTest {
  private static final String T = "chat";

  @TempDir Path tmp;

  /** The event number of a's publication of m2 in {@link #threeMessages}. */
  private int m2Published;

  private NodeJournal node(String name, int seed) {
    return new NodeJournal(tmp.resolve(name), seed);
  }

  private static ReplayReport analyze(ReplayOptions options, NodeJournal... nodes) {
    return ReplayAnalysis.analyze(Arrays.stream(nodes).map(n -> n.dataDir).toList(), options);
  }

  private static ReplayReport analyze(NodeJournal... nodes) {
    return analyze(ReplayOptions.defaults(), nodes);
  }

  private static List<Witness> witnesses(Witness... w) {
    return Arrays.stream(w)
        .sorted(Comparator.comparing(Witness::node).thenComparingLong(Witness::index))
        .toList();
  }

  private static String id(int n) {
    return Hex.of(NodeJournal.messageId(n));
  }

  private static long count(ReplayReport r, AnomalyType t) {
    return r.summary().anomalies().get(t);
  }

  @Test
  void shouldReportNothingForAHealthyRun() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.started(0);
      n.join(1, T);
    }
    a.graft(2, T, b);
    a.graft(2, T, c);
    b.graft(2, T, a);
    c.graft(2, T, a);
    a.publish(10, T, 1, 1, 1);
    b.deliver(11, T, 1, a, 1, 1);
    c.deliver(12, T, 1, a, 1, 1);
    c.duplicate(13, T, 1, b);
    b.publish(20, T, 2, 1, 3);
    a.deliver(21, T, 2, b, 1, 3);
    c.deliver(22, T, 2, b, 1, 3);
    a.publish(30, T, 3, 2, 4);
    b.deliver(31, T, 3, a, 2, 4);
    c.deliver(32, T, 3, a, 2, 4);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(100);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies()).isEmpty();
    assertThat(r.summary().anomalies())
        .containsOnlyKeys(AnomalyType.values())
        .doesNotContainValue(1L);
    assertThat(r.summary().anomalies().values()).containsOnly(0L);
    assertThat(r.summary().nodes()).isEqualTo(3);
    assertThat(r.summary().messages()).isEqualTo(3);
    assertThat(r.summary().deliveries()).isEqualTo(9);
    assertThat(r.summary().duplicateReceipts()).isEqualTo(1);
    assertThat(r.nodes()).allSatisfy(n -> assertThat(n.coverage()).isEqualTo(1.0));
    assertThat(r.messages())
        .extracting(ReplayReport.MessageRow::messageId)
        .containsExactly(id(1), id(2), id(3));
    ReplayReport.MessageRow m1 = r.messages().get(0);
    assertThat(m1.origin()).isEqualTo(a.name());
    assertThat(m1.originSeqno()).isEqualTo(1L);
    assertThat(m1.lamport()).isEqualTo(1L);
    assertThat(m1.publishTimeSource()).isEqualTo("journal");
    ReplayReport.Delivery atC =
        m1.deliveries().stream().filter(d -> d.node().equals(c.name())).findFirst().orElseThrow();
    assertThat(atC.delivered()).isTrue();
    assertThat(atC.via()).isEqualTo("deliver");
    assertThat(atC.forwarder()).isEqualTo(a.name());
    assertThat(atC.duplicates()).isEqualTo(1);
    assertThat(atC.position()).isZero();
    assertThat(atC.delayNanos()).isEqualTo(2 * MS);
    ReplayReport.TopicSummary topic = r.summary().topics().get(0);
    assertThat(topic.delays()).isEqualTo(6);
    assertThat(topic.maxNanos()).isEqualTo(2 * MS);
    assertThat(topic.reach().get(topic.reach().size() - 1).fraction()).isEqualTo(1.0);
  }

  /** A publishes m1, m2, m3; b delivers all; c's part is up to the test. */
  private NodeJournal[] threeMessages(NodeJournal a, NodeJournal b, NodeJournal c) {
    for (NodeJournal n : List.of(a, b, c)) {
      n.started(0);
      n.join(1, T);
    }
    a.graft(2, T, b);
    b.graft(2, T, a);
    a.publish(10, T, 1, 1, 1);
    b.deliver(11, T, 1, a, 1, 1);
    m2Published = a.publish(50, T, 2, 2, 2);
    b.deliver(51, T, 2, a, 2, 2);
    a.publish(90, T, 3, 3, 3);
    b.deliver(91, T, 3, a, 3, 3);
    return new NodeJournal[] {a, b, c};
  }

  @Test
  void shouldReportALostMessageAsDownWhenTheNodeWasCrashed() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    int join = 1; // c's JOIN is its second event
    c.graft(2, T, a);
    int lastBeforeCrash = c.deliver(12, T, 1, a, 1, 1);
    // SIGKILL here: no NODE_STOPPED; the subscription survives the crash.
    int restart = c.started(70);
    c.join(71, T);
    c.graft(72, T, a);
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.LOST,
                id(2),
                T,
                c.name(),
                List.of(),
                null,
                LostCause.DOWN,
                null,
                witnesses(
                    c.witness(join),
                    a.witness(m2Published),
                    c.witness(lastBeforeCrash),
                    c.witness(restart))));
    assertThat(count(r, AnomalyType.LOST)).isEqualTo(1);
    ReplayReport.NodeSummary cs =
        r.nodes().stream().filter(n -> n.node().equals(c.name())).findFirst().orElseThrow();
    assertThat(cs.runs()).isEqualTo(2);
    assertThat(cs.expected()).isEqualTo(3);
    assertThat(cs.delivered()).isEqualTo(2);
    assertThat(cs.lost()).isEqualTo(1);
  }

  /**
   * A full disk kept events out of c's journal around m2: whether c delivered it is unknown, so it
   * is not reported lost, and c's summary says how many events its journal is missing. m4, missed
   * long after the disk had space again, is still lost.
   */
  @Test
  void shouldNotJudgeWhatANodeDidWhileItsJournalKeptEventsOut() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    c.add(
        40,
        new Event()
            .type(EventType.EVENTS_NOT_JOURNALED)
            .value(25)
            .text("disk full (STORAGE_FULL); last one at 60 ms"));
    c.duplicate(60, T, 1, b); // the first event written again
    c.deliver(92, T, 3, a, 3, 3);
    a.publish(5000, T, 4, 4, 4);
    b.deliver(5001, T, 4, a, 4, 4);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(6000);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .filteredOn(x -> x.type() == AnomalyType.LOST)
        .extracting(Anomaly::messageId, Anomaly::node, Anomaly::cause)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(id(4), c.name(), LostCause.UNKNOWN));
    ReplayReport.NodeSummary cs =
        r.nodes().stream().filter(n -> n.node().equals(c.name())).findFirst().orElseThrow();
    assertThat(cs.notJournaled()).isEqualTo(25);
    assertThat(cs.expected()).isEqualTo(3); // m1, m3, m4: m2 is not judged
    assertThat(cs.delivered()).isEqualTo(2);
    assertThat(r.nodes())
        .filteredOn(n -> !n.node().equals(c.name()))
        .allSatisfy(n -> assertThat(n.notJournaled()).isZero());
  }

  /**
   * A message gap sync fetched is journaled as DELIVER_MESSAGE with via sync and then as
   * GAP_SYNC_FILLED: one delivery, not a duplicate-delivery.
   */
  @Test
  void shouldCountASyncedMessageOnceThoughItIsJournaledTwice() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    Event synced =
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .peer(b.peer)
            .topic(T)
            .messageId(NodeJournal.messageId(2))
            .origin(a.peer)
            .originSeqno(2)
            .lamport(2)
            .via(io.meshlog.eventlog.Via.SYNC)
            .data(new byte[] {1, 2, 3})
            .size(3);
    c.add(60, synced);
    c.add(
        61,
        new Event()
            .type(EventType.GAP_SYNC_FILLED)
            .peer(b.peer)
            .topic(T)
            .messageId(NodeJournal.messageId(2)));
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(100);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies()).isEmpty();
    ReplayReport.NodeSummary cs =
        r.nodes().stream().filter(n -> n.node().equals(c.name())).findFirst().orElseThrow();
    assertThat(cs.delivered()).isEqualTo(3);
    assertThat(r.summary().deliveries()).isEqualTo(9);
    ReplayReport.Delivery m2AtC =
        r.messages().get(1).deliveries().stream()
            .filter(d -> d.node().equals(c.name()))
            .findFirst()
            .orElseThrow();
    assertThat(m2AtC.route()).isEqualTo("sync");
  }

  /**
   * The sequencer's control topics are meshlog's own traffic: left out of the report unless a
   * --topic names them (then they are analysed like any topic).
   */
  @Test
  void shouldLeaveOutTheControlTopicsUnlessNamed() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    String confirm = "_meshlog/sequencer/confirm/1";
    for (NodeJournal n : List.of(a, b, c)) {
      n.join(3, confirm);
    }
    a.publish(40, confirm, 9, 9, 9); // nobody delivers it: lost if it were analysed
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(100);
      n.write();
    }

    ReplayReport all = analyze(a, b, c);
    ReplayReport named = analyze(ReplayOptions.defaults().withTopics(Set.of(confirm)), a, b, c);

    assertThat(all.messages()).extracting(ReplayReport.MessageRow::topic).containsOnly(T);
    assertThat(named.messages()).extracting(ReplayReport.MessageRow::topic).containsOnly(confirm);
    assertThat(count(named, AnomalyType.LOST)).isEqualTo(2);
  }

  @Test
  void shouldReportALostMessageAsNotInMeshWhenTheMeshWasEmpty() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    int prune = c.prune(30, T, a);
    c.graft(80, T, a);
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.LOST,
                id(2),
                T,
                c.name(),
                List.of(),
                null,
                LostCause.NOT_IN_MESH,
                null,
                witnesses(c.witness(1), a.witness(m2Published), c.witness(prune))));
  }

  /**
   * Retention deleted the start of c's journal: no NODE_STARTED, no JOIN, no GRAFT left, only the
   * JOURNAL_CYCLE the journal wrote into the next cycle file. c is still known, still subscribed
   * and in the mesh from that record on, and the message it missed is lost, witnessed by it.
   */
  @Test
  void shouldTakeANodeAndItsSubscriptionFromAJournalCycleWhenItsStartIsDeleted() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    for (NodeJournal n : List.of(a, b)) {
      n.started(0);
      n.join(1, T);
    }
    a.graft(2, T, b);
    b.graft(2, T, a);
    int cycle = c.cycle(5, T, a);
    a.publish(10, T, 1, 1, 1);
    b.deliver(11, T, 1, a, 1, 1);
    c.deliver(12, T, 1, a, 1, 1);
    m2Published = a.publish(50, T, 2, 2, 2);
    b.deliver(51, T, 2, a, 2, 2);
    a.publish(90, T, 3, 3, 3);
    b.deliver(91, T, 3, a, 3, 3);
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.LOST,
                id(2),
                T,
                c.name(),
                List.of(),
                null,
                LostCause.UNKNOWN,
                null,
                witnesses(c.witness(cycle), a.witness(m2Published))));
    ReplayReport.NodeSummary cs =
        r.nodes().stream().filter(n -> n.node().equals(c.name())).findFirst().orElseThrow();
    assertThat(cs.expected()).isEqualTo(3);
    assertThat(cs.delivered()).isEqualTo(2);
  }

  @Test
  void shouldReportALostMessageWithUnknownCauseWhenTheNodeWasRunningInTheMesh() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.LOST,
                id(2),
                T,
                c.name(),
                List.of(),
                null,
                LostCause.UNKNOWN,
                null,
                witnesses(c.witness(1), a.witness(m2Published))));
  }

  @Test
  void shouldNotExpectMessagesAfterALeaveACleanStopOrBeforeAJoin() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    NodeJournal d = node("d", 4);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    c.leave(30, T); // m2 and m3 come after the leave
    d.started(0);
    d.join(1, T);
    d.deliver(12, T, 1, a, 1, 1);
    d.stopped(30); // clean: the subscription ends
    d.started(60);
    d.join(95, T); // m3 was first delivered before this join
    for (NodeJournal n : List.of(a, b, c, d)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c, d);

    assertThat(r.anomalies()).isEmpty();
  }

  @Test
  void shouldNotExpectMessagesOutsideTheNodesJournal() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    c.deliver(12, T, 1, a, 1, 1);
    c.deliver(51, T, 2, a, 2, 2); // c's journal ends here, before m3
    for (NodeJournal n : List.of(a, b)) {
      n.stopped(200);
      n.write();
    }
    c.write();

    assertThat(analyze(a, b, c).anomalies()).isEmpty();
  }

  @Test
  void shouldReportADuplicateDelivery() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    int first = c.deliver(12, T, 1, a, 1, 1);
    c.deliver(52, T, 2, a, 2, 2);
    int again = c.deliver(53, T, 1, a, 1, 1);
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.DUPLICATE_DELIVERY,
                id(1),
                T,
                c.name(),
                List.of(),
                null,
                null,
                null,
                witnesses(c.witness(first), c.witness(again))));
    assertThat(r.summary().deliveries()).isEqualTo(9);
  }

  @Test
  void shouldReportAFifoInversion() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.graft(2, T, a);
    int second = c.deliver(51, T, 2, a, 2, 2);
    int first = c.deliver(52, T, 1, a, 1, 1); // m1 after m2: m1 is displaced
    c.deliver(92, T, 3, a, 3, 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.FIFO_INVERSION,
                id(1),
                T,
                c.name(),
                List.of(),
                id(2),
                null,
                null,
                witnesses(c.witness(second), c.witness(first))));
  }

  @Test
  void shouldReportACausalInversion() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.started(0);
      n.join(1, T);
    }
    a.publish(10, T, 1, 1, 1);
    int bSawM1 = b.deliver(11, T, 1, a, 1, 1);
    int bPublished = b.publish(20, T, 2, 1, 3); // b had m1 when it published m2
    a.deliver(21, T, 2, b, 1, 3);
    int cM2 = c.deliver(21, T, 2, b, 1, 3);
    int cM1 = c.deliver(22, T, 1, a, 1, 1);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.CAUSAL_INVERSION,
                id(1),
                T,
                c.name(),
                List.of(),
                id(2),
                null,
                null,
                witnesses(
                    c.witness(cM2), c.witness(cM1), b.witness(bSawM1), b.witness(bPublished))));
  }

  @Test
  void shouldReportAnOrderDivergenceBetweenTwoNodes() {
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    byte[] x = NodeJournal.peerId(8); // origins whose journals are not at hand
    byte[] y = NodeJournal.peerId(9);
    for (NodeJournal n : List.of(b, c)) {
      n.started(0);
      n.join(1, T);
    }
    int b1 = b.deliver(11, T, 1, x, 1, 1, x);
    int b2 = b.deliver(12, T, 2, y, 1, 2, y);
    int c2 = c.deliver(11, T, 2, y, 1, 2, y);
    int c1 = c.deliver(12, T, 1, x, 1, 1, x);
    for (NodeJournal n : List.of(b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport r = analyze(b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.ORDER_DIVERGENCE,
                id(1),
                T,
                c.name(),
                List.of(c.name(), b.name()),
                id(2),
                null,
                null,
                witnesses(b.witness(b1), b.witness(b2), c.witness(c2), c.witness(c1))));
  }

  @Test
  void shouldReportALateDelivery() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    for (NodeJournal n : List.of(a, b, c)) {
      n.started(0);
      n.join(1, T);
    }
    int published = a.publish(10, T, 1, 1, 1);
    b.deliver(11, T, 1, a, 1, 1);
    int late = c.deliver(1510, T, 1, b.peer, 1, 1, b.peer);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(2000);
      n.write();
    }

    ReplayReport r = analyze(a, b, c);

    assertThat(r.anomalies())
        .containsExactly(
            new Anomaly(
                AnomalyType.LATE,
                id(1),
                T,
                c.name(),
                List.of(),
                null,
                null,
                1500 * MS,
                witnesses(a.witness(published), c.witness(late))));
    assertThat(
            analyze(ReplayOptions.defaults().withLateAfterNanos(2_000 * MS), a, b, c).anomalies())
        .isEmpty();
  }

  @Test
  void shouldGiveTheSameReportWhateverTheOrderOfTheDirectories() {
    NodeJournal a = node("a", 1);
    NodeJournal b = node("b", 2);
    NodeJournal c = node("c", 3);
    threeMessages(a, b, c);
    c.deliver(52, T, 2, a, 2, 2);
    c.deliver(53, T, 1, a, 1, 1);
    for (NodeJournal n : List.of(a, b, c)) {
      n.stopped(200);
      n.write();
    }

    ReplayReport one = analyze(a, b, c);
    ReplayReport two = analyze(c, a, b);

    assertThat(two).isEqualTo(one);
    assertThat(one.anomalies()).isNotEmpty();
  }

  @Test
  void shouldCountEveryAnomalyNameEvenWhenZero() {
    NodeJournal a = node("a", 1);
    a.started(0);
    a.join(1, T);
    a.publish(10, T, 1, 1, 1);
    a.stopped(20);
    a.write();

    Map<AnomalyType, Long> counts = analyze(a).summary().anomalies();

    assertThat(counts.keySet()).containsExactly(AnomalyType.values());
    assertThat(counts.values()).containsOnly(0L);
  }
}
