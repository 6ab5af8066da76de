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
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.MessageExplain;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.tools.Main;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.HeadlessChromium;
import io.meshlog.tools.report.ReplayCsvWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog replay} over three hand-built journals written through the real journal: a
 * publishes m1..m3, b delivers them in order, c delivers m2 before m1 (a fifo-inversion) and m3 two
 * seconds late.
 */
@Timeout(60)
class ReplayCommandTest {
  private static final long T0 = 1_763_750_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String T = "chat";

  @TempDir Path tmp;

  private final ObjectMapper json = new ObjectMapper();
  private Path a;
  private Path b;
  private Path c;
  private final byte[] peerA = peer(1);
  private final byte[] peerB = peer(2);
  private final byte[] peerC = peer(3);

  private static byte[] peer(int seed) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[2] = 8;
    id[3] = 1;
    id[4] = 18;
    id[5] = 32;
    for (int i = 6; i < id.length; i++) {
      id[i] = (byte) (seed * 31 + i * 7);
    }
    return id;
  }

  private static Event at(long ms, EventType type) {
    return new Event().type(type).timeNanos(T0 + ms * MS);
  }

  private static Event message(long ms, EventType type, int n, byte[] origin, byte[] from) {
    return at(ms, type)
        .topic(T)
        .messageId(new byte[] {(byte) 0xAB, 0, (byte) n})
        .origin(origin)
        .peer(from)
        .originSeqno(n)
        .lamport(n)
        .data(new byte[] {1})
        .size(1);
  }

  private static void write(Path dataDir, byte[] self, List<Event> events) {
    try (Journal journal =
        Journals.open(
            JournalConfig.builder(dataDir.resolve("journal"))
                .ringSize(64)
                .preallocateBytes(0)
                .build(),
            List.of())) {
      journal.sink().publish(at(0, EventType.NODE_STARTED).peer(self).text("meshlog/test"));
      journal.sink().publish(at(1, EventType.JOIN).topic(T));
      for (Event e : events) {
        journal.sink().publish(e);
      }
      journal.sink().publish(at(5000, EventType.NODE_STOPPED).text("close"));
    }
  }

  @BeforeEach
  void writeJournals() {
    a = tmp.resolve("a");
    b = tmp.resolve("b");
    c = tmp.resolve("c");
    write(
        a,
        peerA,
        List.of(
            at(2, EventType.GRAFT).topic(T).peer(peerB).direction(Direction.OUTBOUND),
            message(10, EventType.PUBLISH_MESSAGE, 1, peerA, null),
            message(20, EventType.PUBLISH_MESSAGE, 2, peerA, null),
            message(30, EventType.PUBLISH_MESSAGE, 3, peerA, null)));
    write(
        b,
        peerB,
        List.of(
            message(11, EventType.DELIVER_MESSAGE, 1, peerA, peerA),
            message(21, EventType.DELIVER_MESSAGE, 2, peerA, peerA),
            message(22, EventType.DUPLICATE_MESSAGE, 2, null, peerC),
            message(31, EventType.DELIVER_MESSAGE, 3, peerA, peerA)));
    write(
        c,
        peerC,
        List.of(
            message(21, EventType.DELIVER_MESSAGE, 2, peerA, peerB),
            message(22, EventType.DELIVER_MESSAGE, 1, peerA, peerA),
            message(2030, EventType.DELIVER_MESSAGE, 3, peerA, peerB)));
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Run replay(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "replay",
                "--data-dir",
                a.toString(),
                "--data-dir",
                b.toString(),
                "--data-dir",
                c.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static List<JsonNode> lines(String out) throws Exception {
    return StrictJsonLines.parse(out);
  }

  @Test
  void shouldPrintStrictJsonLinesWithThePinnedKeys() throws Exception {
    Run r = replay("--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("\n");
    List<JsonNode> lines = lines(r.out());

    assertThat(lines)
        .extracting(l -> l.get("kind").asText())
        .containsExactly("message", "message", "message", "anomaly", "anomaly", "summary");
    JsonNode m1 = lines.get(0);
    Run dump =
        run(
            "journal",
            "dump",
            "--data-dir",
            b.toString(),
            "--format",
            "json",
            "--type",
            "DELIVER_MESSAGE");
    assertThat(m1.get("messageId").asText())
        .isEqualTo(
            json.readTree(dump.out().lines().findFirst().orElseThrow()).get("messageId").asText())
        .isEqualTo("ab0001");
    assertThat(m1.get("origin").asText()).isEqualTo(Base58.encode(peerA));
    JsonNode atC = m1.get("deliveries").get(2);
    assertThat(atC.get("node").asText()).isEqualTo(Base58.encode(peerC));
    assertThat(atC.get("forwarder").asText()).isEqualTo(Base58.encode(peerA));
    assertThat(atC.get("position").asInt()).isEqualTo(1);
    assertThat(atC.get("delayNanos").asLong()).isEqualTo(12 * MS);

    JsonNode fifo = lines.get(3);
    assertThat(fifo.get("type").asText()).isEqualTo("fifo-inversion");
    assertThat(fifo.get("messageId").asText()).isEqualTo("ab0001");
    assertThat(fifo.get("otherMessageId").asText()).isEqualTo("ab0002");
    assertThat(fifo.get("node").asText()).isEqualTo(Base58.encode(peerC));
    assertThat(fifo.get("witnesses")).hasSize(2);
    JsonNode w = fifo.get("witnesses").get(0);
    assertThat(fieldNames(w)).containsExactly("node", "index", "type", "timeNanos");
    assertThat(w.get("type").asText()).isEqualTo("DELIVER_MESSAGE");
    assertThat(w.get("timeNanos").asLong()).isEqualTo(T0 + 21 * MS);
    JsonNode late = lines.get(4);
    assertThat(late.get("type").asText()).isEqualTo("late");
    assertThat(late.get("lateByNanos").asLong()).isEqualTo(2000 * MS);

    JsonNode s = lines.get(5);
    assertThat(s.get("messages").isInt()).isTrue();
    assertThat(s.get("messages").asInt()).isEqualTo(3);
    assertThat(s.get("deliveries").asInt()).isEqualTo(9);
    assertThat(s.get("duplicateReceipts").asInt()).isEqualTo(1);
    assertThat(fieldNames(s.get("anomalies")))
        .containsExactly(
            "lost",
            "duplicate-delivery",
            "fifo-inversion",
            "causal-inversion",
            "order-divergence",
            "late");
    assertThat(s.get("anomalies").get("fifo-inversion").asInt()).isEqualTo(1);
    assertThat(s.get("anomalies").get("late").asInt()).isEqualTo(1);
    assertThat(s.get("anomalies").get("lost").asInt()).isZero();
    assertThat(s.get("perNode")).hasSize(3);
    assertThat(s.get("perNode").get(0).get("coverage").asDouble()).isEqualTo(1.0);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void shouldPrintTheSameBytesWhateverTheOrderOfTheFlags() {
    for (String format : List.of("json", "text", "csv")) {
      Run one =
          run(
              "replay",
              "--format",
              format,
              "--data-dir",
              a.toString(),
              "--data-dir",
              b.toString(),
              "--data-dir",
              c.toString(),
              "--late-after",
              "1s");
      Run two =
          run(
              "replay",
              "--data-dir",
              c.toString(),
              "--late-after",
              "1000ms",
              "--data-dir",
              a.toString(),
              "--format",
              format,
              "--data-dir",
              b.toString());
      assertThat(one.exit()).as(one.err()).isZero();
      assertThat(two.out()).as(format).isEqualTo(one.out());
    }
  }

  @Test
  void shouldCapTheAnomaliesShownButCountThemAll() throws Exception {
    List<JsonNode> lines = lines(replay("--format", "json", "--max-anomalies", "0").out());

    assertThat(lines).extracting(l -> l.get("kind").asText()).doesNotContain("anomaly");
    JsonNode s = lines.get(lines.size() - 1);
    assertThat(s.get("anomalies").get("fifo-inversion").asInt()).isEqualTo(1);
    assertThat(s.get("anomaliesShown").asInt()).isZero();
  }

  @Test
  void shouldHonourLateAfterAndTheFilters() throws Exception {
    JsonNode s = last(lines(replay("--format", "json", "--late-after", "3s").out()));
    assertThat(s.get("anomalies").get("late").asInt()).isZero();

    Run peerRun = replay("--format", "json", "--peer", Base58.encode(peerB));
    assertThat(peerRun.exit()).as(peerRun.err()).isZero();
    List<JsonNode> onlyB = lines(peerRun.out());
    assertThat(onlyB).filteredOn(l -> l.get("kind").asText().equals("anomaly")).isEmpty();
    assertThat(onlyB.get(0).get("deliveries")).hasSize(1);

    List<JsonNode> window =
        lines(
            replay(
                    "--format",
                    "json",
                    "--from",
                    Long.toString(T0 + 15 * MS),
                    "--to",
                    "2025-11-21T18:33:20.025Z")
                .out());
    assertThat(window)
        .filteredOn(l -> l.get("kind").asText().equals("message"))
        .extracting(l -> l.get("messageId").asText())
        .containsExactly("ab0002");
  }

  /**
   * With one journal, {@code index:N} bounds the window at the time of its event at index N, as
   * {@code journal dump} and the witnesses give indexes: the same output as those times.
   */
  @Test
  void shouldTakeAJournalIndexAsABoundOfTheWindowWithOneDataDir() throws Exception {
    List<Long> indexes = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    try (JournalReader r = Journals.openReader(a.resolve("journal"))) {
      Event e = new Event();
      long index;
      while ((index = r.next(e.clear())) >= 0) {
        if (e.type() == EventType.PUBLISH_MESSAGE) {
          indexes.add(index);
          times.add(e.timeNanos());
        }
      }
    }
    assertThat(indexes).hasSize(3);
    Run byIndex =
        run(
            "replay",
            "--data-dir",
            a.toString(),
            "--format",
            "json",
            "--from",
            "index:" + indexes.get(1),
            "--to",
            "index:" + indexes.get(2));
    assertThat(byIndex.exit()).as(byIndex.err()).isZero();
    Run byTime =
        run(
            "replay",
            "--data-dir",
            a.toString(),
            "--format",
            "json",
            "--from",
            Long.toString(times.get(1)),
            "--to",
            Long.toString(times.get(2)));
    assertThat(byIndex.out()).isEqualTo(byTime.out());
    assertThat(lines(byIndex.out()))
        .filteredOn(l -> l.get("kind").asText().equals("message"))
        .extracting(l -> l.get("messageId").asText())
        .containsExactly("ab0002", "ab0003");

    Run several = replay("--from", "index:" + indexes.get(1));
    assertThat(several.exit()).isEqualTo(2);
    assertThat(several.err()).contains("exactly one --data-dir");
    Run missing =
        run("replay", "--data-dir", a.toString(), "--to", "index:" + (indexes.get(2) + 1000));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no event at journal index").contains(a.toString());
    assertThat(run("replay", "--data-dir", a.toString(), "--from", "index:x").exit()).isEqualTo(2);
  }

  private static JsonNode last(List<JsonNode> lines) {
    return lines.get(lines.size() - 1);
  }

  @Test
  void shouldPrintTheMessageTableAsCsv() {
    Run r = replay("--format", "csv");

    List<String> rows = r.out().lines().toList();
    assertThat(rows.get(0)).isEqualTo(ReplayCsvWriter.HEADER);
    assertThat(rows).hasSize(1 + 3 * 3);
    assertThat(rows.get(1)).startsWith("ab0001,chat," + Base58.encode(peerA) + ",1,1,,0,");
    Set<Integer> widths =
        rows.stream().map(l -> l.split(",", -1).length).collect(Collectors.toSet());
    assertThat(widths).containsExactly(22);
  }

  @Test
  void shouldShowTheCanonicalOrderNextToEachNodesOrderInText() {
    Run r = replay();

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("topic chat: canonical order")
        .contains("anomalies: 2 (2 shown)")
        .contains("fifo-inversion ab0001 topic chat at n")
        .contains("late ab0003")
        .contains("duplicate-delivery=0 fifo-inversion=1");
  }

  @Test
  void shouldNameABadDirectoryAndSkipItWhenAsked() throws Exception {
    Path notData = Files.createDirectory(tmp.resolve("not-a-data-dir"));

    Run fail = replay("--data-dir", notData.toString());
    assertThat(fail.exit()).isEqualTo(ExitCode.UNREADABLE);
    assertThat(fail.err()).contains(notData.toString()).contains("not a meshlog data directory");
    assertThat(fail.out()).isEmpty();

    Run skip = replay("--data-dir", notData.toString(), "--skip-bad", "--format", "json");
    assertThat(skip.exit()).as(skip.err()).isZero();
    JsonNode s = last(lines(skip.out()));
    assertThat(s.get("messages").asInt()).isEqualTo(3);
    assertThat(s.get("skipped").get(0).get("dataDir").asText()).isEqualTo(notData.toString());
    assertThat(skip.err()).contains(notData.toString());
  }

  @Test
  void shouldRejectBadOptions() {
    assertThat(replay("--late-after", "soon").exit()).isEqualTo(2);
    assertThat(replay("--from", "yesterday").exit()).isEqualTo(2);
    assertThat(replay("--peer", "0OIl").exit()).isEqualTo(2);
    assertThat(replay("--late-after", "soon").err()).contains("--late-after soon");
  }

  @Test
  void shouldWriteAPageThatABrowserRendersWithLanesAnomaliesAndExplain() throws Exception {
    Path page = tmp.resolve("replay.html");
    Run r = replay("--html", page.toString(), "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(replay("--format", "json").out()); // --html adds, changes nothing

    String dom = HeadlessChromium.dumpDom(page, "#m=ab0003", tmp);

    assertThat(dom).doesNotContain("data-error=");
    assertThat(dom).contains("data-ready=\"true\"").contains("data-lanes=\"3\"");
    assertThat(dom).contains("data-anomalies=\"2\"");
    assertThat(dom)
        .contains("data-type=\"fifo-inversion\"")
        .contains("data-type=\"late\"")
        .contains("href=\"#m=ab0001\"")
        .contains("href=\"#m=ab0003\"");
    // the explain view of ab0003: three arrivals, c last by way of b, 2 s after publish
    assertThat(dom).contains("data-message=\"ab0003\"");
    assertThat(dom).contains("critical path: n1 +0 µs → n2 +1.0 ms → n3 +2.000 s");
    assertThat(dom).contains("reached n3 last, via unknown from n2 2.000 s after publish");
    // and the full explain view, as replay explain tells it from the journals: the why, and one
    // story per node (b's duplicate from c among them)
    Explanation x = MessageExplain.explain(List.of(a, b, c), "ab0003", ReplayOptions.defaults());
    assertThat(dom).contains("data-why=\"true\"").contains(x.why());
    assertThat(Pattern.compile("class=\"story\"").matcher(dom).results().count()).isEqualTo(3);
    for (Explanation.NodeStory s : x.nodes()) {
      assertThat(dom).contains(s.story());
    }
    String ab0002 = HeadlessChromium.dumpDom(page, "#m=ab0002", tmp);
    assertThat(ab0002).doesNotContain("data-error=").contains("duplicates from");
    Explanation two = MessageExplain.explain(List.of(a, b, c), "ab0002", ReplayOptions.defaults());
    assertThat(ab0002).contains(two.why());
  }

  @Test
  void shouldAskForADataDirectoryWhenReplayOrExplainIsGivenNone() {
    for (String[] args :
        new String[][] {
          {"replay"}, {"replay", "explain", "ab0003"}, {"replay", "--topic", "chat"}
        }) {
      Run r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains("--data-dir");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void shouldExplainOneMessageInTextAndJson() throws Exception {
    List<String> dirs =
        List.of("--data-dir", c.toString(), "--data-dir", a.toString(), "--data-dir", b.toString());
    List<String> args = new ArrayList<>(List.of("replay", "explain", "ab0003"));
    args.addAll(dirs);
    Run text = run(args.toArray(String[]::new));
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("message ab0003, topic chat")
        .contains("critical path:")
        .contains("why: reached n3 via an unrecorded route from n2 2.000 s after publish")
        .contains("late: 2.000 s after the first delivery");

    args.addAll(List.of("--format", "json"));
    Run jsonRun = run(args.toArray(String[]::new));
    assertThat(jsonRun.exit()).as(jsonRun.err()).isZero();
    List<JsonNode> lines = lines(jsonRun.out());
    assertThat(lines).hasSize(1);
    JsonNode x = lines.get(0);
    assertThat(x.get("kind").asText()).isEqualTo("explain");
    assertThat(x.get("messageId").asText()).isEqualTo("ab0003");
    assertThat(x.get("nodes")).hasSize(3);
    JsonNode atC = x.get("nodes").get(2);
    assertThat(atC.get("node").asText()).isEqualTo(Base58.encode(peerC));
    assertThat(atC.get("forwarder").asText()).isEqualTo(Base58.encode(peerB));
    assertThat(atC.get("route").asText()).isEqualTo("unknown");
    assertThat(atC.get("anomalies").get(0).asText()).isEqualTo("late");
    assertThat(x.get("criticalPath"))
        .extracting(h -> h.get("node").asText())
        .containsExactly(Base58.encode(peerA), Base58.encode(peerB), Base58.encode(peerC));
    assertThat(x.get("anomalies").get(0).get("type").asText()).isEqualTo("late");
  }

  @Test
  void shouldFailExplainOnAnUnknownIdAndOnBadOptions() {
    Run unknown = run("replay", "explain", "ab00ff", "--data-dir", a.toString());
    assertThat(unknown.exit()).isEqualTo(ExitCode.FAILED);
    assertThat(unknown.err()).contains("no message ab00ff");
    assertThat(run("replay", "explain", "zz", "--data-dir", a.toString()).exit())
        .isEqualTo(ExitCode.USAGE);
    assertThat(run("replay", "explain", "ab0001").exit()).isEqualTo(ExitCode.USAGE);
    assertThat(run("replay").exit()).isEqualTo(ExitCode.USAGE);
  }
}
