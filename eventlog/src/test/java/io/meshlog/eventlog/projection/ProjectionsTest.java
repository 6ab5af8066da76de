package io.meshlog.eventlog.projection;

import static io.meshlog.eventlog.projection.Events.message;
import static io.meshlog.eventlog.projection.Events.of;
import static io.meshlog.eventlog.projection.Events.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProjectionsTest {

  private static final String TOPIC = "/chat/1";

  @TempDir Path tmp;

  private final MemoryJournal journal = new MemoryJournal();

  private Projections openAndFeed(int batch) {
    Projections p = Projections.open(tmp.resolve("projections"), ProjectionConfig.defaults());
    journal.feed(p, 0, journal.lastIndex(), batch);
    return p;
  }

  @Test
  void shouldCountPeerStatsPerEventType() {
    byte[] a = peer(1);
    journal.append(of(EventType.NODE_STARTED, 5).peer(peer(99)).text("meshlog/0.1"));
    journal.append(of(EventType.CONNECTION_OPENED, 10).peer(a).direction(Direction.OUTBOUND));
    journal.append(of(EventType.RECV_RPC, 20).peer(a).size(300));
    journal.append(of(EventType.RECV_RPC, 21).peer(a).size(200));
    journal.append(of(EventType.SEND_RPC, 22).peer(a).size(50));
    journal.append(of(EventType.PING_RTT, 30).peer(a).value(1_500_000));
    journal.append(of(EventType.PING_RTT, 31).peer(a).value(900_000));
    journal.append(message(EventType.DELIVER_MESSAGE, 40, TOPIC, 1, 2, 1).peer(a));
    journal.append(of(EventType.DUPLICATE_MESSAGE, 41).peer(a).topic(TOPIC));
    journal.append(of(EventType.REJECT_MESSAGE, 42).peer(a).topic(TOPIC).text("bad sig"));
    journal.append(of(EventType.INPUT_REJECTED, 43).peer(a).text("yamux: frame too large"));
    journal.append(of(EventType.GRAFT, 44).peer(a).topic(TOPIC));
    journal.append(of(EventType.CONNECTION_CLOSED, 50).peer(a).text("eof"));

    try (Projections p = openAndFeed(4)) {
      assertThat(p.peer(a))
          .contains(new PeerStats(a, 10, 50, 1, 1, 2, 1, 500, 50, 1, 1, 2, 900_000));
      assertThat(p.peer(peer(99))).as("NODE_STARTED names this node").isEmpty();
      assertThat(p.peers()).hasSize(1);
      assertThat(p.appliedIndex()).isEqualTo(journal.lastIndex());
    }
  }

  @Test
  void shouldCountTopicStatsAndDeliveryLatency() {
    journal.append(message(EventType.PUBLISH_MESSAGE, 1_000, TOPIC, 1, 9, 1));
    journal.append(
        message(EventType.DELIVER_MESSAGE, 2_000_000, TOPIC, 2, 2, 1)
            .peer(peer(2))
            .value(2_000_000 - 5_000)); // 5 us after publish
    journal.append(
        message(EventType.DELIVER_MESSAGE, 3_000_000, TOPIC, 3, 3, 1)
            .peer(peer(3))
            .value(3_000_000 + 10)); // publisher's clock ahead: skewed
    journal.append(message(EventType.DELIVER_MESSAGE, 4_000_000, TOPIC, 4, 3, 2).peer(peer(3)));
    journal.append(of(EventType.DUPLICATE_MESSAGE, 4_000_100).peer(peer(2)).topic(TOPIC));
    journal.append(of(EventType.REJECT_MESSAGE, 4_000_200).peer(peer(2)).topic(TOPIC));
    journal.append(of(EventType.JOIN, 4_000_300).topic("/other"));

    try (Projections p = openAndFeed(100)) {
      TopicStats t = p.topic(TOPIC).orElseThrow();
      assertThat(t.messages()).isEqualTo(4);
      assertThat(t.bytes()).isEqualTo(400);
      assertThat(t.lastMessageNanos()).isEqualTo(4_000_000);
      assertThat(t.duplicates()).isEqualTo(1);
      assertThat(t.rejects()).isEqualTo(1);
      assertThat(t.latencySkewed()).isEqualTo(1);
      assertThat(t.latency().total()).isEqualTo(1);
      assertThat(t.latency().sameToPrecision(t.latency().percentileNanos(99), 5_000)).isTrue();
      assertThat(t.latency().sameToPrecision(t.latency().maxNanos(), 5_000)).isTrue();
      assertThat(p.topic("/other")).as("JOIN feeds no topic stats").isEmpty();
      assertThat(p.topics()).extracting(TopicStats::topic).containsExactly(TOPIC);
    }
  }

  @Test
  void shouldIterateOrderingIndexInLamportOrderPerTopic() {
    journal.append(message(EventType.DELIVER_MESSAGE, 1, TOPIC, 30, 1, 3).peer(peer(1)));
    journal.append(message(EventType.PUBLISH_MESSAGE, 2, TOPIC, 10, 9, 1));
    journal.append(message(EventType.DELIVER_MESSAGE, 3, "/other", 5, 1, 4).peer(peer(1)));
    journal.append(message(EventType.DELIVER_MESSAGE, 4, TOPIC, 20, 2, 7).peer(peer(2)));
    journal.append(message(EventType.DELIVER_MESSAGE, 5, TOPIC, 20, 1, 8).peer(peer(2)));
    journal.append(message(EventType.DELIVER_MESSAGE, 6, TOPIC, -1, 1, 9).peer(peer(2)));
    // A topic whose name extends TOPIC must not leak into TOPIC's range.
    journal.append(message(EventType.PUBLISH_MESSAGE, 7, TOPIC + "x", 1, 9, 2));

    try (Projections p = openAndFeed(3);
        OrderingCursor cursor = p.orderingIndex(TOPIC)) {
      List<OrderingEntry> entries = new ArrayList<>();
      cursor.forEachRemaining(entries::add);
      assertThat(entries)
          .extracting(OrderingEntry::lamport)
          .containsExactly(-1L, 10L, 20L, 20L, 30L);
      assertThat(entries)
          .extracting(OrderingEntry::journalIndex)
          .containsExactly(5L, 1L, 4L, 3L, 0L);
      assertThat(entries.get(2).origin()).isEqualTo(peer(1));
      assertThat(entries.get(2).originSeqno()).isEqualTo(8);
      assertThat(p.messageIndex("m-2-7".getBytes())).hasValue(3);
      assertThat(p.messageIndex("nope".getBytes())).isEmpty();
    }
  }

  @Test
  void shouldResumeFromCheckpointWithoutCountingTwice() {
    MemoryJournal full = Events.randomJournal(7, 3000);
    Path dir = tmp.resolve("projections");
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      full.feed(p, 0, 1999, 100);
      // A batch that never reached its end is not committed: it will be read again.
      Event scratch = new Event();
      for (long i = 2000; i < 2050; i++) {
        p.onJournaled(scratch.copyFrom(full.get(i)), i, false);
      }
      assertThat(p.appliedIndex()).isEqualTo(1999);
    }
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      assertThat(p.appliedIndex()).isEqualTo(1999);
      assertThat(p.catchUp(full.reader())).isEqualTo(1000);
      assertThat(p.appliedIndex()).isEqualTo(2999);
      // Redelivered events at or below the checkpoint change nothing.
      full.feed(p, 2990, 2999, 5);
      assertThat(p.counter(ProjectionCounter.EVENTS_SKIPPED)).isEqualTo(10);
      assertThat(p.verify(full.reader()).firstDifference()).isNull();
    }
  }

  @Test
  void shouldVerifyLiveEqualsRebuildWhateverTheBatchBoundaries() {
    MemoryJournal full = Events.randomJournal(11, 5000);
    Path dir = tmp.resolve("projections");
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      full.feed(p, 0, 2999, 1);
      full.feed(p, 3000, 4999, 777);
    }
    VerifyReport report =
        Projections.verify(
            dir, ProjectionConfig.defaults().withCatchUpBatchEvents(64), full.reader());
    assertThat(report.identical()).as(String.valueOf(report.firstDifference())).isTrue();
    assertThat(report.appliedIndex()).isEqualTo(4999);
  }

  @Test
  void shouldReportFirstDifferenceWhenJournalDisagrees() {
    journal.append(of(EventType.CONNECTION_OPENED, 10).peer(peer(1)));
    journal.append(of(EventType.RECV_RPC, 20).peer(peer(1)).size(10));
    Path dir = tmp.resolve("projections");
    try (Projections p = openAndFeed(10)) {
      assertThat(p.appliedIndex()).isEqualTo(1);
    }
    MemoryJournal other = new MemoryJournal();
    other.append(of(EventType.CONNECTION_OPENED, 10).peer(peer(1)));
    other.append(of(EventType.RECV_RPC, 20).peer(peer(1)).size(11));

    VerifyReport report = Projections.verify(dir, ProjectionConfig.defaults(), other.reader());
    assertThat(report.identical()).isFalse();
    assertThat(report.firstDifference())
        .contains("PEER_STATS")
        .contains(io.meshlog.eventlog.Base58.encode(peer(1)))
        .contains("bytesIn=10")
        .contains("bytesIn=11");
  }

  @Test
  void shouldRebuildIntoEmptyDirectoryAndSwapIt() {
    MemoryJournal full = Events.randomJournal(3, 2000);
    Path dir = tmp.resolve("projections");
    List<PeerStats> live;
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      full.feed(p, 0, 1999, 50);
      live = p.peers();
    }
    assertThat(Projections.rebuild(dir, ProjectionConfig.defaults(), full.reader()))
        .isEqualTo(1999);
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      assertThat(p.peers()).isEqualTo(live);
      assertThat(p.appliedIndex()).isEqualTo(1999);
    }
    assertThat(tmp.toFile().list()).containsExactly("projections");
  }

  @Test
  void shouldListTopicNamesAsTheStatsNameThem() {
    String[] topics = {"/zeta", "/alpha", "/\u00e9t\u00e9", "/Beta"};
    for (int i = 0; i < topics.length; i++) {
      journal.append(message(EventType.PUBLISH_MESSAGE, 1_000 + i, topics[i], 1, 9, i + 1));
    }
    try (Projections p = openAndFeed(100)) {
      assertThat(p.topicNames())
          .containsExactly("/Beta", "/alpha", "/zeta", "/\u00e9t\u00e9")
          .isEqualTo(p.topics().stream().map(TopicStats::topic).toList());
    }
  }

  @Test
  void shouldKeepNodeSequenceOfLastAppliedEventForLag() {
    for (int i = 0; i < 10; i++) {
      journal.append(of(EventType.PING_RTT, i).peer(peer(1)).value(5).sequence(100 + i));
    }
    Path dir = tmp.resolve("projections");
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      journal.feed(p, 0, 6, 7);
      assertThat(p.appliedSequence()).isEqualTo(106);
    }
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      assertThat(p.appliedSequence()).isEqualTo(106);
      p.catchUp(journal.reader());
      assertThat(p.appliedSequence()).isEqualTo(109);
      assertThat(p.counter(ProjectionCounter.APPLIED_SEQUENCE)).isEqualTo(109);
    }
  }

  @Test
  void shouldCountMessagesItCannotIndex() {
    journal.append(message(EventType.PUBLISH_MESSAGE, 1, TOPIC, 1, 1, 1).lamport(Event.ABSENT));
    journal.append(message(EventType.PUBLISH_MESSAGE, 2, "x".repeat(2000), 1, 1, 2));
    journal.append(of(EventType.RECV_RPC, 3).peer(new byte[300]).size(1));
    try (Projections p = openAndFeed(10)) {
      assertThat(p.counter(ProjectionCounter.EVENTS_UNINDEXED)).isEqualTo(3);
      assertThat(p.topic(TOPIC).orElseThrow().messages()).as("still counted").isEqualTo(1);
      assertThat(p.topics()).hasSize(1);
      assertThat(p.peers()).isEmpty();
      assertThat(p.appliedIndex()).isEqualTo(2);
    }
  }

  @Test
  void shouldResumeAcrossJournalIndexGaps() {
    // Chronicle indexes jump at every cycle file: (cycle << 32) | sequence-in-cycle.
    MemoryJournal gappy = new MemoryJournal(7L << 32);
    for (int i = 0; i < 50; i++) {
      gappy.append(of(EventType.RECV_RPC, i).peer(peer(1)).size(1));
    }
    Path dir = tmp.resolve("projections");
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      p.catchUp(gappy.reader(), (7L << 32) + 19);
      assertThat(p.appliedIndex()).isEqualTo((7L << 32) + 19);
    }
    try (Projections p = Projections.open(dir, ProjectionConfig.defaults())) {
      assertThat(p.catchUp(gappy.reader())).isEqualTo(30);
      assertThat(p.peer(peer(1)).orElseThrow().messagesIn()).isEqualTo(50);
    }
  }

  @Test
  void shouldRefuseViewsAfterClose() {
    Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults());
    p.close();
    p.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(p::peers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldPublishCounters() {
    MemoryJournal full = Events.randomJournal(5, 1000);
    try (Projections p = Projections.open(tmp.resolve("p"), ProjectionConfig.defaults())) {
      full.feed(p, 0, 999, 100);
      assertThat(p.counter(ProjectionCounter.APPLIED_INDEX)).isEqualTo(999);
      assertThat(p.counter(ProjectionCounter.EVENTS_APPLIED)).isEqualTo(1000);
      assertThat(p.counter(ProjectionCounter.BATCHES_COMMITTED)).isEqualTo(10);
      assertThat(p.counter(ProjectionCounter.ROWS_WRITTEN)).isPositive();
      assertThat(p.counter(ProjectionCounter.ERRORS)).isZero();
      assertThat(p.healthy()).isTrue();
    }
  }
}
