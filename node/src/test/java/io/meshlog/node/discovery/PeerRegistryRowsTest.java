package io.meshlog.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry stored in a real RocksDB projection store beside a real Chronicle journal: a load
 * followed by a fold of the records after the checkpoint gives exactly the registry a fold of the
 * whole journal gives, evictions and expiries across the split included.
 */
@Timeout(60)
class PeerRegistryRowsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long DAY = 86_400 * SECOND;
  private static final int MAX_PEERS = 40;
  private static final long MAX_AGE = 5 * DAY;

  /** Event times from here on (a time of 0 would be stamped with the wall clock). */
  private static final long T0 = 1_700_000_000L * SECOND;

  @TempDir Path dir;

  private final List<PeerId> peers = new ArrayList<>();

  /** Records for peers {@code from..to-1}, one day apart per ten peers, with dial history. */
  private int journal(EventLog log, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      while (peers.size() <= i) {
        peers.add(Identity.generate().peerId());
      }
      PeerId p = peers.get(i);
      long at = T0 + (i / 10) * DAY + i * SECOND;
      String source = i % 3 == 0 ? "px" : "identify";
      publish(log, EventType.PEER_ADDRESS_LEARNED, at, p, source + " /ip4/10.0.0." + i + "/tcp/1");
      publish(log, EventType.PEER_ADDRESS_LEARNED, at + 1, p, "config /ip4/10.0.1." + i + "/tcp/2");
      n += 2;
      if (i % 4 != 0) {
        publish(log, EventType.CONNECTION_OPENED, at + 2, p, null);
        publish(log, EventType.CONNECTION_CLOSED, at + 3, p, null);
        n += 2;
      }
      for (int f = 0; f < i % 5; f++) {
        publish(log, EventType.DIAL_FAILED, at + 4 + f, p, "refused");
        n++;
      }
      if (i >= 10 && i % 7 == 0) { // an earlier peer seen again, later
        publish(log, EventType.CONNECTION_OPENED, at + 10, peers.get(i - 10), null);
        n++;
      }
    }
    return n;
  }

  private static void publish(EventLog log, EventType type, long at, PeerId p, String text) {
    log.sink().publish(new Event().type(type).timeNanos(at).peer(p.bytes()).text(text));
  }

  private static void awaitJournaled(EventLog log, long events) {
    Await.until(
        "the journal holds " + events + " events",
        () -> {
          try (JournalReader r = log.journal().reader()) {
            long n = 0;
            while (r.next(new Event()) >= 0) {
              n++;
            }
            return n == events;
          }
        });
  }

  private static PeerRegistry fold(JournalReader reader) {
    return new PeerRegistry(null, MAX_PEERS, MAX_AGE).catchUp(reader);
  }

  private static List<byte[]> rows(PeerRegistry r) {
    List<byte[]> out = new ArrayList<>();
    for (PeerRegistry.Entry e : r.entries(r.timeNanos())) {
      out.add(e.peer().bytes());
      out.add(PeerRegistryRows.encode(e));
    }
    return out;
  }

  @Test
  void shouldFoldOnlyTheRecordsAfterTheCheckpointAndEqualAFullFold() {
    Path data = dir.resolve("node");
    int first;
    try (EventLog log = EventLog.open(data, Map.of())) {
      first = journal(log, 0, 50);
      awaitJournaled(log, first);
      PeerRegistryRows stored = new PeerRegistryRows(log.projections().peerRegistry());
      PeerRegistry before = stored.load(null, MAX_PEERS, MAX_AGE);
      try (JournalReader r = log.journal().reader()) {
        before.catchUp(r);
      }
      assertThat(before.folded()).isEqualTo(first);
      assertThat(before.size()).as("bounded before the split").isLessThanOrEqualTo(MAX_PEERS);
      assertThat(stored.save(before)).isTrue();
    }

    int second;
    try (EventLog log = EventLog.open(data, Map.of())) {
      second = journal(log, 50, 90);
      awaitJournaled(log, first + second);
      PeerRegistry resumed =
          new PeerRegistryRows(log.projections().peerRegistry()).load(null, MAX_PEERS, MAX_AGE);
      assertThat(resumed.size()).as("loaded from the store").isPositive();
      try (JournalReader r = log.journal().reader()) {
        r.toAfter(resumed.lastIndex());
        resumed.catchUp(r);
      }
      PeerRegistry full;
      try (JournalReader r = log.journal().reader()) {
        full = fold(r);
      }

      assertThat(resumed.folded()).as("only the records after the checkpoint").isEqualTo(second);
      assertThat(full.folded()).isEqualTo(first + second);
      assertThat(resumed.lastIndex()).isEqualTo(full.lastIndex());
      assertThat(resumed.timeNanos()).isEqualTo(full.timeNanos());
      assertThat(full.size()).as("evictions and expiries happened").isLessThan(60);
      assertThat(full.size()).as("bounded, not emptied").isGreaterThan(MAX_PEERS / 2);
      assertThat(full.entries(full.timeNanos()))
          .as("peers only the stored part knew are still there")
          .anyMatch(e -> peers.subList(0, 50).contains(e.peer()));
      assertThat(rows(resumed)).containsExactlyElementsOf(rows(full));
    }
  }

  @Test
  void shouldDeleteTheRowsOfPeersEvictedOrExpiredSinceTheLastSave() {
    try (EventLog log = EventLog.open(dir.resolve("node"), Map.of());
        JournalReader reader = log.journal().reader()) {
      PeerRegistryRows stored = new PeerRegistryRows(log.projections().peerRegistry());
      PeerRegistry live = stored.load(null, MAX_PEERS, MAX_AGE);
      int first = journal(log, 0, 40);
      awaitJournaled(log, first);
      live.catchUp(reader);
      stored.save(live);
      List<byte[]> early = rows(live);
      int second = journal(log, 40, 90); // evicts and expires most of the first forty
      awaitJournaled(log, first + second);
      live.catchUp(reader);
      stored.save(live);

      PeerRegistry loaded =
          new PeerRegistryRows(log.projections().peerRegistry()).load(null, MAX_PEERS, MAX_AGE);

      assertThat(rows(loaded)).isNotEqualTo(early).containsExactlyElementsOf(rows(live));
      assertThat(loaded.size()).isEqualTo(live.size()).isLessThanOrEqualTo(MAX_PEERS);
      assertThat(loaded.lastIndex()).isEqualTo(live.lastIndex());
      long[] rowsStored = {0};
      log.projections().peerRegistry().forEach((k, v) -> rowsStored[0]++);
      assertThat(rowsStored[0])
          .as("one row per peer kept, and the checkpoint")
          .isEqualTo(live.size() + 1);
      assertThat(stored.save(live)).as("nothing new to store").isFalse();
    }
  }

  /**
   * Retention deleted the records right after the checkpoint before the registry folded them: the
   * load keeps the peers it had, folds what the journal still holds, and counts what it missed.
   */
  @Test
  void shouldKeepThePeersItHadWhenRetentionDeletedTheRecordsAfterTheCheckpoint() {
    Map<String, String> props =
        Map.of(
            "journal.rollCycle", "TEST_SECONDLY",
            "journal.retention.maxAge", "1s",
            "journal.retention.interval", "50ms");
    try (EventLog log = EventLog.open(dir.resolve("node"), props)) {
      PeerRegistryRows stored = new PeerRegistryRows(log.projections().peerRegistry());
      int taught = journal(log, 0, 5);
      awaitJournaled(log, taught);
      PeerRegistry before = stored.load(null, MAX_PEERS, MAX_AGE);
      try (JournalReader r = log.journal().reader()) {
        before.catchUp(r);
      }
      stored.save(before);
      int missed = journal(log, 5, 8); // never folded before retention deletes them
      awaitJournaled(log, taught + missed);
      long[] journaled = {taught + missed};
      Await.until(
          "retention deleted every record up to the last missed one",
          () -> {
            journaled[0] += journal(log, 8, 9); // peer 8 again and again: the cycles roll on
            try (JournalReader r = log.journal().reader()) {
              Event first = new Event();
              return r.next(first) >= 0 && Arrays.equals(first.peer(), peers.get(8).bytes());
            }
          });

      Await.until(
          "every record written",
          () -> log.journal().counter(JournalCounter.EVENTS_APPENDED) == journaled[0]);
      PeerRegistry after =
          new PeerRegistryRows(log.projections().peerRegistry()).load(null, MAX_PEERS, MAX_AGE);
      try (JournalReader r = log.journal().reader()) {
        r.toAfter(after.lastIndex());
        after.catchUp(r);
      }

      assertThat(after.sequenceGap())
          .as("the records retention deleted: every one journaled, less those folded and held")
          .isEqualTo(journaled[0] - taught - after.folded())
          .isGreaterThanOrEqualTo(missed);
      assertThat(after.entries(after.timeNanos()))
          .extracting(PeerRegistry.Entry::peer)
          .containsAll(peers.subList(0, 5))
          .contains(peers.get(8))
          .doesNotContainAnyElementsOf(peers.subList(5, 8));
    }
  }

  @Test
  void shouldFoldTheJournalAgainAndDeleteRowsItCannotUse() {
    try (EventLog log = EventLog.open(dir.resolve("node"), Map.of());
        JournalReader reader = log.journal().reader()) {
      int n = journal(log, 0, 10);
      awaitJournaled(log, n);
      byte[] damaged = {1, 9, 9, 9};
      log.projections()
          .peerRegistry()
          .write(List.<byte[][]>of(new byte[][] {damaged, new byte[] {7}}), List.of());
      PeerRegistryRows stored = new PeerRegistryRows(log.projections().peerRegistry());

      PeerRegistry r = stored.load(null, MAX_PEERS, MAX_AGE);
      assertThat(r.lastIndex()).as("no checkpoint: fold from the start").isEqualTo(-1);
      r.catchUp(reader);
      stored.save(r);

      List<byte[]> keys = new ArrayList<>();
      log.projections().peerRegistry().forEach((k, v) -> keys.add(k));
      assertThat(keys).hasSize(r.size() + 1).noneMatch(k -> Arrays.equals(k, damaged));
      assertThat(r.size()).isEqualTo(10);
    }
  }
}
