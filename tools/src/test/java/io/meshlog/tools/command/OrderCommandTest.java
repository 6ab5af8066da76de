package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog order} on a running event log (journal and projections open for writing): final
 * rows by seq across epochs, then provisional ones by Lamport time; JSON as pinned.
 */
@Timeout(60)
class OrderCommandTest {
  @TempDir Path dataDir;

  private final byte[] alice = peer(1);
  private final byte[] bob = peer(2);
  private EventLog log;

  private static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[37] = (byte) n;
    return id;
  }

  private static byte[] id(int n) {
    return new byte[] {(byte) 0xAB, (byte) n};
  }

  @BeforeEach
  void writeJournal() {
    log = EventLog.open(dataDir, Map.of());
    long t = 1_763_750_000_000_000_000L;
    // Four messages delivered; the sequencer finalized 3 (epoch 1, seq 0) and 1 (epoch 2, seq 1).
    for (int m = 1; m <= 4; m++) {
      log.sink()
          .publish(
              new Event()
                  .type(EventType.DELIVER_MESSAGE)
                  .timeNanos(t + m)
                  .peer(bob)
                  .topic("chat")
                  .messageId(id(m))
                  .origin(m % 2 == 0 ? alice : bob)
                  .originSeqno(m)
                  .lamport(10L * m));
    }
    log.sink()
        .publish(
            new Event()
                .type(EventType.SEQUENCE_ASSIGNED)
                .timeNanos(t + 10)
                .topic("chat")
                .messageId(id(3))
                .epoch(1)
                .finalSeq(0));
    log.sink()
        .publish(
            new Event()
                .type(EventType.SEQUENCE_ASSIGNED)
                .timeNanos(t + 11)
                .topic("chat")
                .messageId(id(1))
                .epoch(2)
                .finalSeq(1));
    Await.until(
        "six events applied to the projections",
        () -> log.projections().finalPosition(id(1)).isPresent());
  }

  @AfterEach
  void close() {
    log.close();
  }

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private List<JsonNode> lines(String out) throws Exception {
    return StrictJsonLines.parse(out);
  }

  @Test
  void shouldPrintFinalRowsBySeqThenProvisionalOnesByLamport() throws Exception {
    Run r = run("order", "--data-dir", dataDir.toString(), "--topic", "chat", "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("projections lag the journal by 0 events");
    List<JsonNode> rows = lines(r.out());
    assertThat(rows)
        .extracting(n -> n.get("messageId").asText())
        .containsExactly("ab03", "ab01", "ab02", "ab04");
    JsonNode first = rows.get(0);
    assertThat(first.get("epoch").asLong()).isEqualTo(1);
    assertThat(first.get("seq").asLong()).isZero();
    assertThat(first.get("origin").asText()).isEqualTo(Base58.encode(bob));
    assertThat(first.get("lamport").asLong()).isEqualTo(30);
    assertThat(first.get("status").asText()).isEqualTo("final");
    assertThat(rows.get(1).get("epoch").asLong()).isEqualTo(2);
    JsonNode provisional = rows.get(2);
    assertThat(provisional.get("epoch").isNull()).isTrue();
    assertThat(provisional.get("seq").isNull()).isTrue();
    assertThat(provisional.get("status").asText()).isEqualTo("provisional");
    assertThat(provisional.get("origin").asText()).isEqualTo(Base58.encode(alice));
    assertThat(provisional.get("lamport").asLong()).isEqualTo(20);
  }

  @Test
  void shouldStartAtTheGivenSeqAndPrintText() {
    Run r = run("order", "--data-dir", dataDir.toString(), "--topic", "chat", "--from-seq", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .containsExactly(
            "1 2 final ab01 origin=" + Base58.encode(bob) + " lamport=10",
            "- - provisional ab02 origin=" + Base58.encode(alice) + " lamport=20",
            "- - provisional ab04 origin=" + Base58.encode(alice) + " lamport=40");
  }

  @Test
  void shouldPrintNoRowsForAnUnknownTopicAndExit0() {
    Run r = run("order", "--data-dir", dataDir.toString(), "--topic", "nobody", "--format", "json");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void shouldExit3WithoutProjections(@TempDir Path empty) {
    Run r = run("order", "--data-dir", empty.toString(), "--topic", "chat");
    assertThat(r.exit()).isEqualTo(3);
  }
}
