package io.meshlog.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment loses no event the journal acknowledged: a child JVM journals events and
 * prints each acknowledged one; the test SIGKILLs it mid-stream, then checks every acknowledged
 * event on disk, and that the journal takes new events after the crash. Repeated on one journal.
 */
class JournalKillIT {
  @TempDir Path tmp;

  private Process startWriter(Path dir) throws Exception {
    List<String> flags = new ArrayList<>(ChildJvm.accessFlags());
    flags.add("-Xmx256m");
    List<String> cmd = ChildJvm.command(flags, KillableWriter.class, dir.toString());
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @Test
  @Timeout(240)
  void shouldKeepAcknowledgedEventsThroughSigkill() throws Exception {
    Path dir = tmp.resolve("journal");
    long expectedNextSequence = 0;
    for (int round = 0; round < 3; round++) {
      int killAfter = ThreadLocalRandom.current().nextInt(5_000, 60_000);
      Process child = startWriter(dir);
      Map<Long, long[]> acked = new HashMap<>();
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            String[] f = line.split(" ");
            if (f.length == 5) {
              acked.put(
                  Long.parseLong(f[1]),
                  new long[] {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])});
            }
            if (acked.size() >= killAfter) {
              child.destroyForcibly(); // SIGKILL on Linux
              break;
            }
          }
        }
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acked.size()).as("acks in round %d", round).isGreaterThanOrEqualTo(killAfter);

      // Every acknowledged event is on disk with its content, at its index and sequence.
      long lastSequence;
      try (JournalReader reader = Journals.openReader(dir)) {
        Event e = new Event();
        Map<Long, Long> indexBySequence = new HashMap<>();
        long index;
        long previousSequence = -1;
        int matched = 0;
        while ((index = reader.next(e)) >= 0) {
          assertThat(e.sequence()).isEqualTo(previousSequence + 1);
          previousSequence = e.sequence();
          long[] ack = acked.get(e.sequence());
          if (ack != null) {
            assertThat(index).isEqualTo(ack[0]);
            assertThat(e.value()).isEqualTo(ack[1]);
            assertThat(e.originSeqno()).isEqualTo(ack[2]);
            assertThat(e.data()).containsExactly(KillableWriter.payload(ack[1], ack[2]));
            matched++;
          }
          indexBySequence.put(e.sequence(), index);
        }
        lastSequence = previousSequence;
        assertThat(matched)
            .as("acknowledged events found in round %d", round)
            .isEqualTo(acked.size());
      }
      assertThat(acked.keySet()).allMatch(s -> s >= 0);
      assertThat(acked.keySet().stream().mapToLong(Long::longValue).min().orElseThrow())
          .isGreaterThanOrEqualTo(expectedNextSequence);

      // The journal is still appendable and continues the sequence.
      try (Journal journal = Journals.open(JournalConfig.builder(dir).build(), List.of())) {
        journal
            .sink()
            .publish(new Event().type(EventType.NODE_STARTED).text("after kill " + round));
        try (JournalReader reader = journal.reader()) {
          reader.toAfter(journal.appendedIndex() < 0 ? -1 : journal.appendedIndex() - 1);
          Event e = new Event();
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!(e.type() == EventType.NODE_STARTED
              && ("after kill " + round).equals(e.text()))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            reader.next(e, Duration.ofMillis(100));
          }
          assertThat(e.sequence()).isEqualTo(lastSequence + 1);
        }
      }
      expectedNextSequence = lastSequence + 2;
    }
  }
}
