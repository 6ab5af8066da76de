package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.VerifyReport;
import io.meshlog.eventlog.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during heavy ingest, several times over: afterwards the projections, caught up from their
 * checkpoint, must equal a rebuild from the journal alone, byte for byte.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EventLogKillIT {

  private static final int KILLS = 3;

  @TempDir Path dataDir;

  @Test
  void shouldMatchRebuildAfterRepeatedSigkill() throws Exception {
    long lastApplied = -1;
    for (int round = 0; round < KILLS; round++) {
      Process child = startChild();
      try {
        AtomicLong applied = new AtomicLong(Long.MIN_VALUE);
        Thread reader = follow(child, applied);
        // Let it ingest well past where it started, then kill it mid-stream.
        long target = 20_000L * (round + 1);
        long startedAt = -2;
        while (true) {
          assertThat(child.isAlive()).as("child running").isTrue();
          long a = applied.get();
          if (a != Long.MIN_VALUE && startedAt == -2) {
            startedAt = a;
          }
          if (startedAt != -2 && a - startedAt >= target) {
            break;
          }
          Thread.sleep(20);
        }
        assertThat(startedAt)
            .as("round %d resumed from the checkpoint", round)
            .isGreaterThanOrEqualTo(lastApplied);
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        lastApplied = applied.get();
      } finally {
        child.destroyForcibly();
      }
    }

    long appended;
    long applied;
    try (EventLog log = EventLog.open(dataDir, Map.of())) {
      appended = log.appendedIndex();
      applied = log.appliedIndex();
      assertThat(log.lag()).isZero();
      assertThat(log.peers()).isNotEmpty();
    }
    assertThat(applied).isEqualTo(appended).isGreaterThan(lastApplied - 1);
    try (JournalReader journal = Journals.openReader(EventLog.journalDir(dataDir))) {
      VerifyReport report =
          Projections.verify(
              EventLog.projectionsDir(dataDir), ProjectionConfig.defaults(), journal);
      assertThat(report.firstDifference()).isNull();
      assertThat(report.appliedIndex()).isEqualTo(appended);
    }
  }

  private Process startChild() throws Exception {
    List<String> flags = new ArrayList<>(ChildJvm.accessFlags());
    flags.add("-Xmx256m");
    List<String> cmd = ChildJvm.command(flags, IngestChild.class, dataDir.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static Thread follow(Process child, AtomicLong applied) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith("applied=")) {
                    applied.set(Long.parseLong(line.substring(8, line.indexOf(' '))));
                  } else if (!line.startsWith("opened")) {
                    System.err.println("child: " + line);
                  }
                }
              } catch (Exception e) {
                // The child was killed; its pipe closed.
              }
            },
            "child-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
