package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlog.tools.Main;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Journals and projection stores written by an earlier meshlog (kept in test resources, never
 * regenerated) read and analyse exactly as they did then: every later version must. A journal of a
 * newer format is refused naming the version.
 */
@Timeout(180)
class FormatFixturesTest {
  private static final String FIXTURES = "/io/meshlog/tools/fixtures/";

  /** Each fixture directory and its archive, oldest first; a new format adds one. */
  private static final Map<String, String> ARCHIVES =
      Map.of(
          "format-1-schema-2", "demo-3-nodes.tar.gz",
          "format-1-schema-3", "mesh-3-nodes-directory.tar.gz");

  private static final List<String> PEER_FIELDS =
      List.of(
          "peer",
          "connections",
          "disconnects",
          "messagesIn",
          "messagesOut",
          "bytesIn",
          "bytesOut",
          "delivered",
          "duplicates",
          "rejects");
  private static final List<String> TOPIC_FIELDS =
      List.of("topic", "messages", "bytes", "duplicates", "rejects");

  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path tmp;
  private JsonNode expected;
  private List<String> nodes;

  private record Run(int exit, String out, String err) {}

  private void unpack(String fixture) throws Exception {
    Path tar = tmp.resolve("fixture.tar.gz");
    try (InputStream in =
        getClass().getResourceAsStream(FIXTURES + fixture + "/" + ARCHIVES.get(fixture))) {
      Files.copy(in, tar);
    }
    Process p =
        new ProcessBuilder("tar", "--sparse", "-xzf", tar.toString(), "-C", tmp.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    try (InputStream in = getClass().getResourceAsStream(FIXTURES + fixture + "/expected.json")) {
      expected = json.readTree(in);
    }
    nodes = new ArrayList<>();
    expected.path("nodes").fieldNames().forEachRemaining(nodes::add);
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Run ok(String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private String dir(String node) {
    return tmp.resolve(node).toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"format-1-schema-2", "format-1-schema-3"})
  void shouldReadEveryEventOfTheOlderJournals(String fixture) throws Exception {
    unpack(fixture);
    for (String node : nodes) {
      List<JsonNode> events = new ArrayList<>();
      for (String line :
          ok("journal", "dump", "--data-dir", dir(node), "--format", "json")
              .out()
              .lines()
              .toList()) {
        events.add(json.readTree(line));
      }
      JsonNode want = expected.path("nodes").path(node);
      Map<String, Integer> types = new TreeMap<>();
      List<String> published = new ArrayList<>();
      for (JsonNode e : events) {
        types.merge(e.path("type").asText(), 1, Integer::sum);
        if (e.path("type").asText().equals("PUBLISH_MESSAGE")) {
          published.add(e.path("messageId").asText());
        }
      }
      published.sort(null);
      assertThat(events).as(node).hasSize(want.path("events").asInt());
      JsonNode typesSeen = json.valueToTree(types);
      JsonNode publishedSeen = json.valueToTree(published);
      assertThat(typesSeen).as(node + " types").isEqualTo(want.path("types"));
      assertThat(publishedSeen).as(node).isEqualTo(want.path("published"));
      assertThat(position(events.get(0))).as(node).isEqualTo(want.path("first"));
      assertThat(position(events.get(events.size() - 1))).as(node).isEqualTo(want.path("last"));
    }
  }

  private JsonNode position(JsonNode event) {
    ObjectNode p = json.createObjectNode();
    p.set("index", event.path("index"));
    p.set("seq", event.path("seq"));
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"format-1-schema-2", "format-1-schema-3"})
  void shouldGiveTheSameStatsFromTheOlderProjectionsOrTheirRebuild(String fixture)
      throws Exception {
    unpack(fixture);
    for (String node : nodes) {
      JsonNode want = expected.path("nodes").path(node);
      Run asFound = run("stats", "--data-dir", dir(node), "--format", "json");
      if (asFound.exit() == 0) {
        assertStats(node + " as found", asFound.out(), want);
      } else {
        // An older projection schema may be refused read-only; it must say so, and a rebuild
        // from the journal must give the same figures.
        assertThat(asFound.err()).as(node).containsIgnoringCase("schema");
      }
      ok("projections", "rebuild", "--data-dir", dir(node));
      assertStats(
          node + " rebuilt", ok("stats", "--data-dir", dir(node), "--format", "json").out(), want);
    }
  }

  private void assertStats(String what, String out, JsonNode want) throws Exception {
    JsonNode stats = json.readTree(out);
    assertThat(select(stats.path("peers"), PEER_FIELDS)).as(what).isEqualTo(want.path("peers"));
    assertThat(select(stats.path("topics"), TOPIC_FIELDS)).as(what).isEqualTo(want.path("topics"));
  }

  private ArrayNode select(JsonNode rows, List<String> fields) {
    ArrayNode out = json.createArrayNode();
    for (JsonNode row : rows) {
      ObjectNode o = out.addObject();
      for (String f : fields) {
        o.set(f, row.path(f));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"format-1-schema-2", "format-1-schema-3"})
  void shouldReplayTheOlderJournalsToTheSameReport(String fixture) throws Exception {
    unpack(fixture);
    List<String> args = new ArrayList<>(List.of("replay"));
    for (String node : nodes) {
      args.add("--data-dir");
      args.add(dir(node));
    }
    args.addAll(List.of("--format", "json"));
    JsonNode summary = null;
    for (String line : ok(args.toArray(String[]::new)).out().lines().toList()) {
      JsonNode o = json.readTree(line);
      if (o.path("kind").asText().equals("summary")) {
        summary = o;
      }
    }
    assertThat(summary).isNotNull();
    JsonNode want = expected.path("replay");
    for (String field : List.of("nodes", "messages", "deliveries", "duplicateReceipts")) {
      assertThat(summary.path(field)).as(field).isEqualTo(want.path(field));
    }
    for (var anomaly : want.path("anomalies").properties()) {
      assertThat(summary.path("anomalies").path(anomaly.getKey()))
          .as(anomaly.getKey())
          .isEqualTo(anomaly.getValue());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"format-1-schema-2", "format-1-schema-3"})
  void shouldRefuseAJournalOfANewerFormatNamingTheVersion(String fixture) throws Exception {
    unpack(fixture);
    Files.writeString(
        tmp.resolve("node1").resolve("journal").resolve("meshlog-journal.format"),
        "meshlog journal format 2\n");
    Run r = run("journal", "dump", "--data-dir", dir("node1"));
    assertThat(r.exit()).as("journal dump's exit for a journal it cannot read").isEqualTo(1);
    assertThat(r.err()).contains("journal format 2").contains("VERSION_UNSUPPORTED");
  }
}
