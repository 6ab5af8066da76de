package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.ProjectionCounter;
import io.meshlog.eventlog.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLogTest {

  @TempDir Path dataDir;

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  private static void publish(EventLog log, int count) {
    Event e = new Event();
    for (int i = 0; i < count; i++) {
      log.sink()
          .publish(
              e.clear().type(EventType.RECV_RPC).timeNanos(1_000L + i).peer(peer(i % 5)).size(10));
    }
  }

  /** Waits until {@code appended} events were journaled since open and all are projected. */
  private static void awaitApplied(EventLog log, long appended) {
    Await.until(
        "projections caught up with " + appended + " events",
        () ->
            log.journal().counter(JournalCounter.EVENTS_APPENDED) >= appended
                && log.lag() == 0
                && log.appliedIndex() == log.appendedIndex());
  }

  @Test
  void shouldProjectLiveEventsAndReportZeroLagOnceApplied() throws Exception {
    try (EventLog log = EventLog.open(dataDir, Map.of())) {
      publish(log, 1000);
      awaitApplied(log, 1000);
      assertThat(log.health().state()).isEqualTo(JournalHealth.State.OK);
      assertThat(log.peers()).hasSize(5);
      assertThat(log.peers().stream().mapToLong(PeerStats::messagesIn).sum()).isEqualTo(1000);
      assertThat(log.projections().counter(ProjectionCounter.EVENTS_APPLIED)).isEqualTo(1000);
    }
  }

  @Test
  void shouldCatchUpOnReopenAfterProjectionsWereDeleted() throws Exception {
    List<PeerStats> before;
    try (EventLog log = EventLog.open(dataDir, Map.of())) {
      publish(log, 500);
      awaitApplied(log, 500);
      before = log.peers();
    }
    deleteTree(EventLog.projectionsDir(dataDir));
    try (EventLog log = EventLog.open(dataDir, Map.of())) {
      assertThat(log.peers()).isEqualTo(before);
      assertThat(log.lag()).isZero();
      publish(log, 500);
      awaitApplied(log, 500);
      assertThat(log.peers().stream().mapToLong(PeerStats::messagesIn).sum()).isEqualTo(1000);
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
