package io.meshlog.reconciliation.replay;

import static io.meshlog.reconciliation.replay.NodeJournal.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Node b's clock runs 5 s ahead on purpose; every hop really takes 1 ms. */
@Timeout(60)
class ClockSkewTest {
  private static final String T = "chat";
  private static final long SKEW = 5_000 * MS;

  @TempDir Path tmp;
  private NodeJournal a;
  private NodeJournal b;

  @BeforeEach
  void writeJournals() {
    a = new NodeJournal(tmp.resolve("a"), 1);
    b = new NodeJournal(tmp.resolve("b"), 2).clockOffset(SKEW);
    for (NodeJournal n : List.of(a, b)) {
      n.started(0);
      n.join(1, T);
    }
    a.publish(10, T, 1, 1, 1);
    b.deliver(11, T, 1, a, 1, 1);
    b.publish(20, T, 2, 1, 3);
    a.deliver(21, T, 2, b, 1, 3);
    a.publish(30, T, 3, 2, 4);
    b.deliver(33, T, 3, a, 2, 4); // a slower hop: does not move the bounds
    for (NodeJournal n : List.of(a, b)) {
      n.stopped(100);
      n.write();
    }
  }

  private ReplayReport analyze(boolean correct) {
    return ReplayAnalysis.analyze(
        List.of(a.dataDir, b.dataDir), ReplayOptions.defaults().withSkewCorrection(correct));
  }

  private static ReplayReport.NodeSummary node(ReplayReport r, NodeJournal n) {
    return r.nodes().stream().filter(s -> s.node().equals(n.name())).findFirst().orElseThrow();
  }

  @Test
  void shouldEstimateTheOffsetFromTheFastestHopEachWay() {
    ReplayReport r = analyze(true);

    assertThat(node(r, b).offsetNanos() - node(r, a).offsetNanos()).isEqualTo(SKEW);
    ReplayReport.NodeSummary other = node(r, a).reference() ? node(r, b) : node(r, a);
    assertThat(other.offsetUncertaintyNanos()).isEqualTo(1 * MS);
    assertThat(node(r, a).reference() ^ node(r, b).reference()).isTrue();
  }

  @Test
  void shouldReportTrueDelaysAndNoAnomaliesWhenCorrected() {
    ReplayReport r = analyze(true);

    assertThat(r.anomalies()).isEmpty();
    assertThat(r.summary().negativeDelays()).isZero();
    assertThat(r.messages())
        .flatExtracting(ReplayReport.MessageRow::deliveries)
        .filteredOn(d -> !"publish".equals(d.via()))
        .extracting(ReplayReport.Delivery::delayNanos)
        .containsExactly(1 * MS, 1 * MS, 3 * MS);
  }

  @Test
  void shouldShowTheSkewWhenCorrectionIsOff() {
    ReplayReport r = analyze(false);

    assertThat(r.summary().skewCorrection()).isFalse();
    assertThat(r.nodes()).allSatisfy(n -> assertThat(n.offsetUncertaintyNanos()).isNull());
    // b's clock makes a's messages look 5 s late at b, and b's own look delivered before publish.
    assertThat(r.summary().negativeDelays()).isEqualTo(1);
    assertThat(r.anomalies())
        .extracting(Anomaly::type, Anomaly::node)
        .contains(org.assertj.core.groups.Tuple.tuple(AnomalyType.LATE, b.name()));
  }
}
