package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class JournalDumpCommandTest {
  @TempDir Path dataDir;

  private final ObjectMapper json = new ObjectMapper();
  private final byte[] peerA = new byte[] {0, 36, 8, 1, 18, 32, 1, 2, 3, 4};
  private final byte[] peerB = new byte[] {0, 36, 8, 1, 18, 32, 9, 9, 9, 9};
  private final long t0 = 1_763_750_000_123_456_789L;

  private Journal open() {
    return Journals.open(
        JournalConfig.builder(dataDir.resolve("journal")).ringSize(64).build(), List.of());
  }

  @BeforeEach
  void writeJournal() throws Exception {
    try (Journal journal = open()) {
      journal
          .sink()
          .publish(new Event().type(EventType.NODE_STARTED).timeNanos(t0).text("meshlog/0.1"));
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.DELIVER_MESSAGE)
                  .timeNanos(t0 + 1_000)
                  .peer(peerA)
                  .topic("chat")
                  .messageId(new byte[] {(byte) 0xAB, 0x01})
                  .origin(peerB)
                  .originSeqno(5)
                  .lamport(17)
                  .size(3)
                  .direction(Direction.INBOUND)
                  .value(-2)
                  .via(Via.MESH)
                  .data("hey".getBytes(StandardCharsets.UTF_8)));
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.PING_RTT)
                  .timeNanos(t0 + 2_000_000_000L)
                  .peer(peerB)
                  .value(250_000));
      Await.until("3 events appended", () -> journal.counter(JournalCounter.EVENTS_APPENDED) >= 3);
    }
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

  private List<JsonNode> jsonLines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(json.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void shouldCarryEveryFieldInJsonLines() throws Exception {
    Run r =
        run("journal", "dump", "--data-dir", dataDir.toString(), "--format", "json", "--with-data");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = jsonLines(r.out());
    assertThat(lines).hasSize(3);
    JsonNode d = lines.get(1);
    assertThat(d.get("seq").asLong()).isEqualTo(1);
    assertThat(d.get("index").asLong()).isGreaterThan(lines.get(0).get("index").asLong());
    assertThat(d.get("type").asText()).isEqualTo("DELIVER_MESSAGE");
    assertThat(d.get("time").asText()).isEqualTo("2025-11-21T18:33:20.123457789Z");
    assertThat(d.get("timeNanos").asLong()).isEqualTo(t0 + 1_000);
    assertThat(d.get("peer").asText()).isEqualTo(Base58.encode(peerA));
    assertThat(d.get("topic").asText()).isEqualTo("chat");
    assertThat(d.get("messageId").asText()).isEqualTo("ab01");
    assertThat(d.get("from").asText()).isEqualTo(Base58.encode(peerB));
    assertThat(d.get("seqno").asLong()).isEqualTo(5);
    assertThat(d.get("lamport").asLong()).isEqualTo(17);
    assertThat(d.get("size").asInt()).isEqualTo(3);
    assertThat(d.get("direction").asText()).isEqualTo("INBOUND");
    assertThat(d.get("value").asLong()).isEqualTo(-2);
    assertThat(d.get("text").isNull()).isTrue();
    assertThat(Base64.getDecoder().decode(d.get("data").asText()))
        .isEqualTo("hey".getBytes(StandardCharsets.UTF_8));
    assertThat(lines.get(0).get("text").asText()).isEqualTo("meshlog/0.1");
    assertThat(d.get("via").asText()).isEqualTo("mesh");
    assertThat(d.get("rpc").isNull()).isTrue();
    assertThat(d.get("rpcIds").isNull()).isTrue();
    assertThat(lines.get(2).get("via").isNull()).isTrue();
    assertThat(d.get("epoch").isNull()).isTrue();
    assertThat(d.get("finalSeq").isNull()).isTrue();
    assertThat(d.get("oldPosition").isNull()).isTrue();
    assertThat(d.get("newPosition").isNull()).isTrue();
  }

  @Test
  void shouldShowThePartCountsAndListedIdsOfRpcRecords(@TempDir Path other) throws Exception {
    Event rpc =
        new Event()
            .type(EventType.RECV_RPC)
            .timeNanos(t0)
            .peer(peerA)
            .size(90)
            .direction(Direction.INBOUND)
            .rpcCount(RpcPart.PUBLISH, 1)
            .rpcCount(RpcPart.IHAVE, 2);
    rpc.addRpcId(RpcPart.PUBLISH, new byte[] {(byte) 0xAB, 0x01});
    rpc.addRpcId(RpcPart.IHAVE, new byte[] {0x0C});
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(other.resolve("journal")).ringSize(64).build(), List.of())) {
      journal.sink().publish(rpc);
      Await.until("1 event appended", () -> journal.counter(JournalCounter.EVENTS_APPENDED) >= 1);
    }
    Run r = run("journal", "dump", "--data-dir", other.toString(), "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode line = jsonLines(r.out()).get(0);
    assertThat(line.get("rpc").get("publish").asInt()).isEqualTo(1);
    assertThat(line.get("rpc").get("ihave").asInt()).isEqualTo(2);
    assertThat(line.get("rpc").get("iwant").asInt()).isZero();
    assertThat(line.get("rpc").get("idontwant").asInt()).isZero();
    assertThat(line.get("rpcIds")).hasSize(2);
    assertThat(line.get("rpcIds").get(0).get("part").asText()).isEqualTo("publish");
    assertThat(line.get("rpcIds").get(0).get("messageId").asText()).isEqualTo("ab01");
    assertThat(line.get("rpcIds").get(1).get("part").asText()).isEqualTo("ihave");
    assertThat(line.get("via").isNull()).isTrue();
    Run text = run("journal", "dump", "--data-dir", other.toString());
    assertThat(text.out())
        .contains("rpc=publish:1,ihave:2,iwant:0,graft:0,prune:0,idontwant:0")
        .contains("ids=publish:ab01,ihave:0c");
  }

  @Test
  void shouldShowTheFinalPositionAndTheRowsOfAReorder(@TempDir Path other) throws Exception {
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(other.resolve("journal")).ringSize(64).build(), List.of())) {
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.SEQUENCE_ASSIGNED)
                  .timeNanos(t0)
                  .topic("chat")
                  .messageId(new byte[] {(byte) 0xAB, 0x01})
                  .epoch(2)
                  .finalSeq(41));
      journal
          .sink()
          .publish(
              new Event()
                  .type(EventType.REORDER_APPLIED)
                  .timeNanos(t0 + 1)
                  .topic("chat")
                  .messageId(new byte[] {(byte) 0xAB, 0x01})
                  .lamport(17)
                  .epoch(2)
                  .finalSeq(41)
                  .oldPosition(5)
                  .newPosition(3));
      Await.until("2 events appended", () -> journal.counter(JournalCounter.EVENTS_APPENDED) >= 2);
    }
    Run r = run("journal", "dump", "--data-dir", other.toString(), "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = jsonLines(r.out());
    assertThat(lines.get(0).get("epoch").asLong()).isEqualTo(2);
    assertThat(lines.get(0).get("finalSeq").asLong()).isEqualTo(41);
    assertThat(lines.get(0).get("oldPosition").isNull()).isTrue();
    assertThat(lines.get(0).get("schemaVersion").asInt()).isEqualTo(3);
    assertThat(lines.get(1).get("oldPosition").asLong()).isEqualTo(5);
    assertThat(lines.get(1).get("newPosition").asLong()).isEqualTo(3);
    Run text = run("journal", "dump", "--data-dir", other.toString());
    assertThat(text.out())
        .contains("SEQUENCE_ASSIGNED topic=chat msg=ab01 epoch=2 finalSeq=41")
        .contains("epoch=2 finalSeq=41 oldPosition=5 newPosition=3");
  }

  @Test
  void shouldPrintTextLinesAndApplyFilters() {
    Run all = run("journal", "dump", "--data-dir", dataDir.toString());
    assertThat(all.exit()).isZero();
    assertThat(all.out().lines()).hasSize(3);
    assertThat(all.out().lines().toList().get(1))
        .contains(" 1 2025-11-21T18:33:20.123457789Z DELIVER_MESSAGE ")
        .contains("topic=chat")
        .contains("msg=ab01")
        .contains("data=3B");

    assertThat(
            run("journal", "dump", "--data-dir", dataDir.toString(), "--type", "ping_rtt")
                .out()
                .lines())
        .singleElement()
        .asString()
        .contains("PING_RTT")
        .contains("value=250000");
    assertThat(
            run("journal", "dump", "--data-dir", dataDir.toString(), "--topic", "chat")
                .out()
                .lines())
        .singleElement()
        .asString()
        .contains("DELIVER_MESSAGE");
    // --peer matches the peer or the origin.
    assertThat(
            run("journal", "dump", "--data-dir", dataDir.toString(), "--peer", Base58.encode(peerB))
                .out()
                .lines())
        .hasSize(2);
    assertThat(
            run(
                    "journal",
                    "dump",
                    "--data-dir",
                    dataDir.toString(),
                    "--from-time",
                    "2025-11-21T18:33:21Z")
                .out()
                .lines())
        .singleElement()
        .asString()
        .contains("PING_RTT");
  }

  @Test
  void shouldIncludeTheFromIndex() throws Exception {
    List<JsonNode> lines =
        jsonLines(
            run("journal", "dump", "--data-dir", dataDir.toString(), "--format", "json").out());
    long second = lines.get(1).get("index").asLong();
    List<JsonNode> from =
        jsonLines(
            run(
                    "journal",
                    "dump",
                    "--data-dir",
                    dataDir.toString(),
                    "--format",
                    "json",
                    "--from-index",
                    Long.toString(second))
                .out());
    assertThat(from).hasSize(2);
    assertThat(from.get(0).get("index").asLong()).isEqualTo(second);
  }

  @Test
  void shouldPrintEventsWrittenLaterWhenFollowing() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    int[] exit = {-1};
    Thread follower =
        new Thread(
            () ->
                exit[0] =
                    cl.execute(
                        "journal",
                        "dump",
                        "--data-dir",
                        dataDir.toString(),
                        "--follow",
                        "--limit",
                        "4"));
    follower.start();
    try (Journal journal = open()) {
      journal.sink().publish(new Event().type(EventType.JOIN).topic("later"));
      follower.join(20_000);
    }
    assertThat(follower.isAlive()).isFalse();
    assertThat(exit[0]).isZero();
    assertThat(out.toString().lines().toList().get(3)).contains("JOIN").contains("topic=later");
  }

  @Test
  void shouldGiveClearErrorsForAMissingJournalAndBadOptions() {
    Run missing = run("journal", "dump", "--data-dir", dataDir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains(dataDir.resolve("nope").resolve("journal").toString());
    Run badType = run("journal", "dump", "--data-dir", dataDir.toString(), "--type", "BOGUS");
    assertThat(badType.exit()).isEqualTo(2);
    assertThat(badType.err()).contains("--type BOGUS");
    Run badTime =
        run("journal", "dump", "--data-dir", dataDir.toString(), "--from-time", "yesterday");
    assertThat(badTime.exit()).isEqualTo(2);
  }
}
