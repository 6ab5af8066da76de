package io.meshlog.eventlog;

import static io.meshlog.eventlog.JournalTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.TestJournals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.VerifyReport;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.eventlog.testing.ExpectErrorLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cycle file says whose journal it is and what the node was subscribed to: a JOURNAL_CYCLE
 * record after its first record, so that a journal whose older cycles retention deleted still tells
 * its owner, its topics and its mesh.
 */
@ExpectErrorLogs("deleted from under the queue")
@Timeout(60)
class JournalCycleTest {
  private static final JournalConfig.RollCycle SECONDLY = JournalConfig.RollCycle.TEST_SECONDLY;
  private static final byte[] SELF = peer(1);
  private static final byte[] X = peer(2);
  private static final byte[] Y = peer(3);

  @TempDir Path tmp;

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[0] = 0;
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  private Path dir() {
    return tmp.resolve("journal");
  }

  private JournalConfig.Builder secondly() {
    return JournalConfig.builder(dir())
        .ringSize(1024)
        .rollCycle(SECONDLY)
        .preallocateBytes(0)
        .retentionInterval(Duration.ofHours(1));
  }

  @Test
  void shouldRestateOwnerTopicsAndMeshInEveryNewCycleFile() throws Exception {
    try (Journal journal = Journals.open(secondly().build(), List.of())) {
      long t = System.currentTimeMillis() * 1_000_000L;
      write(journal, new Event().type(EventType.NODE_STARTED).timeNanos(t).peer(SELF).text("ml/1"));
      write(journal, new Event().type(EventType.JOIN).timeNanos(t + 1).topic("chat"));
      write(journal, new Event().type(EventType.JOIN).timeNanos(t + 2).topic("news"));
      write(journal, graft("chat", X, t + 3));
      write(journal, graft("chat", Y, t + 4));
      write(journal, graft("news", X, t + 5));
      nextCycle(journal);
      write(journal, message(t + 6));
      // Y leaves chat's mesh, X's gossip stream goes, the node leaves news.
      write(journal, new Event().type(EventType.PRUNE).timeNanos(t + 7).topic("chat").peer(Y));
      nextCycle(journal);
      write(journal, new Event().type(EventType.REMOVE_PEER).timeNanos(t + 8).peer(X));
      write(journal, new Event().type(EventType.LEAVE).timeNanos(t + 9).topic("news"));
      nextCycle(journal);
      write(journal, message(t + 10));

      List<Event> records = readAll();
      List<Integer> cycles = cyclesOfRecords(records);
      // Whatever second each record fell into: every cycle file after the first holds exactly one
      // JOURNAL_CYCLE, right after its first record, at that record's time, restating the owner
      // and the state the records before it built.
      Model model = new Model();
      int restated = 0;
      for (int i = 0; i < records.size(); i++) {
        Event e = records.get(i);
        boolean firstOfCycle = i > 0 && !cycles.get(i).equals(cycles.get(i - 1));
        boolean secondOfCycle =
            i > 1
                && cycles.get(i).equals(cycles.get(i - 1))
                && !cycles.get(i - 1).equals(cycles.get(i - 2));
        if (e.type() == EventType.JOURNAL_CYCLE) {
          restated++;
          assertThat(secondOfCycle).as("record %d follows its cycle's first record", i).isTrue();
          assertThat(e.timeNanos()).isEqualTo(records.get(i - 1).timeNanos());
          assertThat(e.peer()).isEqualTo(SELF);
          assertThat(e.text()).isEqualTo("ml/1");
          assertThat(state(e)).as("record %d", i).isEqualTo(model.state());
        } else {
          if (firstOfCycle && i + 1 < records.size()) {
            assertThat(records.get(i + 1).type())
                .as("what follows record %d, the first of a new cycle", i)
                .isEqualTo(EventType.JOURNAL_CYCLE);
          }
          model.accept(e);
        }
      }
      assertThat(restated).as("one per cycle file after the first").isGreaterThanOrEqualTo(3);
      // The last cycle began after the PRUNE, the REMOVE_PEER and the LEAVE.
      Event last = records.get(records.size() - 1);
      assertThat(records.get(records.size() - 2).type()).isEqualTo(EventType.DELIVER_MESSAGE);
      assertThat(last.type()).isEqualTo(EventType.JOURNAL_CYCLE);
      assertThat(state(last)).containsExactly("chat:");
      // The first restated what the first second built: both topics, chat with X and Y.
      Event first =
          records.stream().filter(e -> e.type() == EventType.JOURNAL_CYCLE).findFirst().get();
      assertThat(state(first)).isNotEmpty();
    }
  }

  /** The test's own reading of JOIN, LEAVE, GRAFT, PRUNE and REMOVE_PEER. */
  private static final class Model {
    private final java.util.LinkedHashMap<String, List<String>> topics =
        new java.util.LinkedHashMap<>();

    void accept(Event e) {
      switch (e.type()) {
        case JOIN -> topics.putIfAbsent(e.topic(), new ArrayList<>());
        case LEAVE -> topics.remove(e.topic());
        case GRAFT -> {
          List<String> mesh = topics.get(e.topic());
          if (mesh != null && !mesh.contains(hex(e.peer()))) {
            mesh.add(hex(e.peer()));
          }
        }
        case PRUNE -> {
          List<String> mesh = topics.get(e.topic());
          if (mesh != null) {
            mesh.remove(hex(e.peer()));
          }
        }
        case REMOVE_PEER -> topics.values().forEach(m -> m.remove(hex(e.peer())));
        default -> {}
      }
    }

    List<String> state() {
      List<String> out = new ArrayList<>();
      topics.forEach(
          (t, mesh) -> out.add(t + ":" + (mesh.isEmpty() ? "" : " " + String.join(" ", mesh))));
      return out;
    }
  }

  @Test
  void shouldLetAJournalWhoseFirstCyclesAreDeletedStillSayWhoseItIs() throws Exception {
    try (Journal journal = Journals.open(secondly().retentionMaxBytes(1).build(), List.of())) {
      long t = System.currentTimeMillis() * 1_000_000L;
      write(journal, new Event().type(EventType.NODE_STARTED).timeNanos(t).peer(SELF).text("ml/1"));
      write(journal, new Event().type(EventType.JOIN).timeNanos(t + 1).topic("chat"));
      for (int i = 0; i < 3; i++) {
        nextCycle(journal);
        write(journal, message(t + 2 + i));
      }
      TestJournals.runRetentionNow(journal);
      assertThat(journal.counter(JournalCounter.CYCLES_DELETED)).isPositive();
      List<Event> left = readAll();
      assertThat(left).noneMatch(e -> e.type() == EventType.NODE_STARTED);
      Event first =
          left.stream().filter(e -> e.type() == EventType.JOURNAL_CYCLE).findFirst().get();
      assertThat(first.peer()).isEqualTo(SELF);
      assertThat(state(first)).containsExactly("chat:");
    }
  }

  @Test
  void shouldLeaveTheProjectionsAsARebuildFromTheJournalMakesThem() throws Exception {
    Path projectionsDir = tmp.resolve("projections");
    ProjectionConfig config = ProjectionConfig.defaults();
    try (Projections projections = Projections.open(projectionsDir, config);
        Journal journal = Journals.open(secondly().build(), List.of(projections))) {
      long t = System.currentTimeMillis() * 1_000_000L;
      write(journal, new Event().type(EventType.NODE_STARTED).timeNanos(t).peer(SELF).text("ml/1"));
      write(journal, new Event().type(EventType.JOIN).timeNanos(t + 1).topic("chat"));
      write(journal, graft("chat", X, t + 2));
      for (int i = 0; i < 2; i++) {
        nextCycle(journal);
        write(journal, message(t + 3 + i));
      }
      assertThat(readAll()).anyMatch(e -> e.type() == EventType.JOURNAL_CYCLE);
      long last = journal.appendedIndex();
      Await.until("projections caught up", () -> projections.appliedIndex() >= last - 1);
      // The journal's own records name this node: never a peer row of its own.
      assertThat(projections.peer(SELF)).isEmpty();
      try (JournalReader reader = Journals.openReader(dir())) {
        VerifyReport report = projections.verify(reader);
        assertThat(report.identical()).as(report.toString()).isTrue();
      }
    }
  }

  @Test
  void shouldWriteNoneForAJournalThatNeverSaidWhoseItIs() throws Exception {
    try (Journal journal = Journals.open(secondly().build(), List.of())) {
      long t = System.currentTimeMillis() * 1_000_000L;
      write(journal, message(t));
      nextCycle(journal);
      write(journal, message(t + 1));
      assertThat(readAll()).extracting(Event::type).containsOnly(EventType.DELIVER_MESSAGE);
    }
  }

  @Test
  void shouldRoundTripItsDataAndRefuseMalformedOrNewerData() {
    JournalCycle c =
        new JournalCycle(
            List.of(
                new JournalCycle.Topic("chat", List.of(X, Y)),
                new JournalCycle.Topic("ünïcode/topic", List.of())));
    JournalCycle back = JournalCycle.decode(c.encode());
    assertThat(back.topics())
        .extracting(JournalCycle.Topic::topic)
        .containsExactly("chat", "ünïcode/topic");
    assertThat(back.topics().get(0).mesh()).containsExactly(X, Y);
    assertThat(JournalCycle.decode(new JournalCycle(List.of()).encode()).topics()).isEmpty();

    byte[] data = c.encode();
    byte[] cut = java.util.Arrays.copyOf(data, data.length - 3);
    assertThatThrownBy(() -> JournalCycle.decode(cut)).hasMessageContaining("ends inside");
    byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
    assertThatThrownBy(() -> JournalCycle.decode(longer)).hasMessageContaining("after its last");
    data[0] = 2;
    assertThatThrownBy(() -> JournalCycle.decode(data)).hasMessageContaining("version 2");
    assertThatThrownBy(() -> JournalCycle.decode(new byte[0])).hasMessageContaining("without data");
  }

  private static Event graft(String topic, byte[] peer, long t) {
    return new Event().type(EventType.GRAFT).timeNanos(t).topic(topic).peer(peer);
  }

  private static Event message(long t) {
    return new Event()
        .type(EventType.DELIVER_MESSAGE)
        .timeNanos(t)
        .peer(X)
        .topic("chat")
        .messageId(("m" + t).getBytes(StandardCharsets.UTF_8))
        .origin(X)
        .originSeqno(t)
        .data(new byte[] {1});
  }

  private void write(Journal journal, Event e) throws Exception {
    long before = journal.counter(JournalCounter.EVENTS_APPENDED);
    journal.sink().publish(e);
    await(() -> journal.counter(JournalCounter.EVENTS_APPENDED) > before);
  }

  /** Waits until the clock is in a cycle after the one of the last record written. */
  private static void nextCycle(Journal journal) throws Exception {
    int last = TestJournals.cycleOf(SECONDLY, journal.appendedIndex());
    await(() -> TestJournals.currentCycle(SECONDLY) > last);
  }

  private List<Event> readAll() {
    List<Event> out = new ArrayList<>();
    indexes.clear();
    try (JournalReader reader = Journals.openReader(dir())) {
      Event e = new Event();
      long index;
      while ((index = reader.next(e.clear())) >= 0) {
        out.add(new Event().copyFrom(e));
        indexes.add(index);
      }
    }
    return out;
  }

  private final List<Long> indexes = new ArrayList<>();

  private List<Integer> cyclesOfRecords(List<Event> records) {
    List<Integer> cycles = new ArrayList<>();
    for (long index : indexes) {
      cycles.add(TestJournals.cycleOf(SECONDLY, index));
    }
    assertThat(cycles).hasSameSizeAs(records);
    return cycles;
  }

  /** "topic: mesh peers in hex" per joined topic of a JOURNAL_CYCLE record. */
  private static List<String> state(Event e) {
    List<String> out = new ArrayList<>();
    for (JournalCycle.Topic t : JournalCycle.decode(e.data()).topics()) {
      StringBuilder b = new StringBuilder(t.topic()).append(':');
      for (byte[] p : t.mesh()) {
        b.append(' ').append(hex(p));
      }
      out.add(b.toString());
    }
    return out;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
