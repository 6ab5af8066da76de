package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.export.testing.KafkaTestBroker;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog ship} three nodes' journals into one topic of a real broker, then {@code meshlog
 * replay --kafka}: the same report as {@code meshlog replay --data-dir} over the three directories,
 * byte for byte (JSON and text, with filters), once each node's {@code dataDir} reads {@code
 * kafka:<topic>}: the one field that names where the events were read from.
 */
@Timeout(180)
class ReplayFromKafkaTest {
  private static final long T0 = 1_763_750_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String T = "chat";

  @TempDir static Path brokerDir;
  @TempDir Path tmp;

  static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaTestBroker.start(brokerDir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

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

  /**
   * The output of a replay over {@code dirs} as replay from Kafka names its sources: each node's
   * data directory, and nothing else, reads {@code kafka:<topic>} (docs/export.md).
   */
  private static String asFromKafka(String output, String topic, List<Path> dirs) {
    String s = output;
    for (Path d : dirs) {
      s = s.replace("\"dataDir\":\"" + d + "\"", "\"dataDir\":\"kafka:" + topic + "\"");
      s = s.replace("  " + d + "\n", "  kafka:" + topic + "\n");
    }
    return s;
  }

  private static String[] replayDirs(List<Path> dirs, String... options) {
    List<String> args = new ArrayList<>(List.of("replay"));
    for (Path d : dirs) {
      args.add("--data-dir");
      args.add(d.toString());
    }
    args.addAll(List.of(options));
    return args.toArray(String[]::new);
  }

  private static String[] replayKafka(String topic, String... options) {
    List<String> args =
        new ArrayList<>(List.of("replay", "--kafka", broker.bootstrap(), "--kafka-topic", topic));
    args.addAll(List.of(options));
    return args.toArray(String[]::new);
  }

  @Test
  void shouldReplayFromKafkaAsFromTheDataDirectories() throws Exception {
    byte[] a = peer(1);
    byte[] b = peer(2);
    byte[] c = peer(3);
    List<Event> published = new ArrayList<>();
    List<Event> atB = new ArrayList<>();
    List<Event> atC = new ArrayList<>();
    published.add(at(2, EventType.GRAFT).topic(T).peer(b).direction(Direction.OUTBOUND));
    for (int n = 1; n <= 40; n++) {
      published.add(message(10L * n, EventType.PUBLISH_MESSAGE, n, a, null));
      atB.add(message(10L * n + 1, EventType.DELIVER_MESSAGE, n, a, a));
      if (n % 7 != 0) {
        // c misses every seventh message (lost) and gets one two seconds late.
        atC.add(message(10L * n + (n == 20 ? 2000 : 3), EventType.DELIVER_MESSAGE, n, a, b));
      }
    }
    atB.add(message(22, EventType.DUPLICATE_MESSAGE, 2, null, c));
    Path da = tmp.resolve("a");
    Path db = tmp.resolve("b");
    Path dc = tmp.resolve("c");
    write(da, a, published);
    write(db, b, atB);
    write(dc, c, atC);

    broker.createTopic("fleet", 3);
    for (Path d : List.of(da, db, dc)) {
      Run ship =
          run(
              "ship",
              "--data-dir",
              d.toString(),
              "--kafka",
              broker.bootstrap(),
              "--kafka-topic",
              "fleet",
              "--until-end");
      assertThat(ship.exit()).as(ship.err()).isZero();
      assertThat(ship.out()).contains("shipped");
    }
    // Shipping again sends nothing: each shipper resumes after its position.
    Run again =
        run(
            "ship",
            "--data-dir",
            db.toString(),
            "--kafka",
            broker.bootstrap(),
            "--kafka-topic",
            "fleet",
            "--until-end",
            "--format",
            "json");
    assertThat(again.out()).startsWith("shipped 0 records");

    List<Path> dirs = List.of(da, db, dc);
    String window = "--to=" + (T0 + 300 * MS);
    String[][] variants = {
      {"--format", "json"},
      {"--format", "json", "--from", Long.toString(T0 + 100 * MS), window},
      {"--format", "json", "--no-skew-correction", "--peer", Base58.encode(b)},
      {"--format", "csv"},
      {}
    };
    for (String[] options : variants) {
      Run fromDirs = run(replayDirs(dirs, options));
      Run fromKafka = run(replayKafka("fleet", options));
      assertThat(fromDirs.exit()).as(fromDirs.err()).isZero();
      assertThat(fromKafka.exit()).as(fromKafka.err()).isZero();
      assertThat(fromKafka.out())
          .as("replay --kafka %s", String.join(" ", options))
          .isEqualTo(asFromKafka(fromDirs.out(), "fleet", dirs));
    }
    // The page, and the life of one message (c got message 20 two seconds late), alike too.
    Path pageDirs = tmp.resolve("dirs.html");
    Path pageKafka = tmp.resolve("kafka.html");
    assertThat(run(replayDirs(dirs, "--html", pageDirs.toString())).exit()).isZero();
    assertThat(run(replayKafka("fleet", "--html", pageKafka.toString())).exit()).isZero();
    assertThat(Files.readString(pageKafka))
        .contains("kafka:fleet")
        .isEqualTo(asFromKafka(Files.readString(pageDirs), "fleet", dirs));
    for (String[] options : new String[][] {{"--format", "json"}, {}}) {
      List<String> explain = new ArrayList<>(List.of("replay", "explain", "ab0014"));
      explain.addAll(List.of(options));
      List<String> fromDirs = new ArrayList<>(explain);
      dirs.forEach(d -> fromDirs.addAll(List.of("--data-dir", d.toString())));
      List<String> fromKafka = new ArrayList<>(explain);
      fromKafka.addAll(List.of("--kafka", broker.bootstrap(), "--kafka-topic", "fleet"));
      Run d = run(fromDirs.toArray(String[]::new));
      Run k = run(fromKafka.toArray(String[]::new));
      assertThat(d.exit()).as(d.err()).isZero();
      assertThat(k.exit()).as(k.err()).isZero();
      assertThat(d.out()).contains("late");
      assertThat(k.out())
          .as("replay explain --kafka %s", String.join(" ", options))
          .isEqualTo(asFromKafka(d.out(), "fleet", dirs));
    }

    Run json = run(replayDirs(dirs, "--format", "json"));
    assertThat(json.out()).contains("\"lost\"").contains("\"late\"");
    assertThat(run(replayKafka("fleet", "--format", "json")).out())
        .contains("\"dataDir\":\"kafka:fleet\"")
        .doesNotContain(da.toString());
  }

  @Test
  void shouldSayWhenTheTopicIsMissing() {
    Run r =
        run(
            "replay",
            "--kafka",
            broker.bootstrap(),
            "--kafka-topic",
            "nothing-here",
            "--format",
            "json");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("nothing-here");
  }

  @Test
  void shouldNeedADataDirOrAKafkaTopic() {
    assertThat(run("replay").exit()).isEqualTo(2);
    assertThat(run("replay", "--kafka", broker.bootstrap()).exit()).isEqualTo(2);
  }
}
