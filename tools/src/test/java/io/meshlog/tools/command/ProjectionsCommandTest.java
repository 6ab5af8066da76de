package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshlog projections rebuild|verify} and {@code meshlog stats} on a real data dir. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProjectionsCommandTest {

  private static final int EVENTS = 5_000;

  @TempDir Path dataDir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  @BeforeEach
  void ingest() {
    try (EventLog log = EventLog.open(dataDir, Map.of())) {
      Event e = new Event();
      for (int i = 0; i < EVENTS; i++) {
        if (i % 2 == 0) {
          e.clear().type(EventType.RECV_RPC).timeNanos(1_000L + i).peer(peer(i % 7)).size(100);
        } else {
          e.clear()
              .type(EventType.DELIVER_MESSAGE)
              .timeNanos(1_000L + i)
              .peer(peer(i % 7))
              .topic("/t" + (i % 3))
              .messageId(new byte[] {(byte) i, (byte) (i >> 8)})
              .lamport(i)
              .data(new byte[128]);
        }
        log.sink().publish(e);
      }
    }
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void shouldVerifyIdenticalAfterIngest() {
    assertThat(run("projections", "verify", "--data-dir", dataDir.toString())).isZero();
    assertThat(out.toString()).startsWith("identical");
  }

  @Test
  void shouldRebuildDeletedProjectionsForStats() throws Exception {
    assertThat(run("stats", "--data-dir", dataDir.toString(), "--format", "json")).isZero();
    String before = out.toString();
    Directories.delete(dataDir.resolve("projections"));
    assertThat(run("stats", "--data-dir", dataDir.toString())).isEqualTo(3);

    assertThat(run("projections", "rebuild", "--data-dir", dataDir.toString())).isZero();
    assertThat(out.toString()).contains("rebuilt");
    assertThat(run("stats", "--data-dir", dataDir.toString(), "--format", "json")).isZero();
    assertThat(out.toString()).isEqualTo(before);
    assertThat(run("stats", "--data-dir", dataDir.toString(), "--peer", Base58.encode(peer(3))))
        .isZero();
    assertThat(out.toString()).contains(Base58.encode(peer(3)));
  }

  @Test
  void shouldReportDifferenceWhenProjectionsDisagreeWithJournal() {
    try (Projections p =
        Projections.open(dataDir.resolve("projections"), ProjectionConfig.defaults())) {
      Event extra = new Event().type(EventType.CONNECTION_OPENED).timeNanos(1).peer(peer(1));
      p.onJournaled(extra, p.appliedIndex() + 1, true);
    }
    assertThat(run("projections", "verify", "--data-dir", dataDir.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith("DIFFERENT").contains("PEER_STATS");
  }

  @Test
  void shouldRefuseToRebuildUnderARunningNode() {
    try (EventLog running = EventLog.open(dataDir, Map.of())) {
      assertThat(run("projections", "rebuild", "--data-dir", dataDir.toString())).isEqualTo(3);
      assertThat(err.toString()).contains("STORAGE");
      assertThat(running.peers()).hasSize(7);
    }
  }

  /** Deletes a directory tree. */
  static final class Directories {
    static void delete(Path dir) throws Exception {
      try (var walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }
}
