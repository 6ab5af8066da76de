package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.testing.RegistryProbe;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class PeersCommandTest {

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private MeshlogNode start(String name, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>(extra);
    p.put("node.dataDir", tmp.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  private int run(StringWriter out, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    assertThat(run(out, args)).isZero();
    return out.toString();
  }

  private static JsonNode peer(String json, String id) throws Exception {
    for (JsonNode p : StrictJsonLines.single(json).get("peers")) {
      if (p.get("peer").asText().equals(id)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void shouldPrintTheRegistryOfARunningAndAStoppedNode() throws Exception {
    MeshlogNode b = start("b", Map.of());
    String address = b.listenAddresses().get(0).toString();
    MeshlogNode a = start("a", Map.of("node.peers", address));
    String dir = tmp.resolve("a").toString();
    String id = b.peerId().toBase58();

    Await.until(
        "a's registry has b connected, with its configured and identify addresses",
        () -> {
          JsonNode p = peer(run("peers", "--data-dir", dir, "--format", "json"), id);
          return p != null && p.get("successes").asLong() >= 1 && p.get("addresses").size() >= 1;
        });
    JsonNode p = peer(run("peers", "--data-dir", dir, "--format", "json"), id);
    assertThat(p.get("addresses").get(0).get("source").asText()).isEqualTo("config");
    assertThat(p.get("addresses").get(0).get("address").asText())
        .isEqualTo(b.listenAddresses().get(0).withoutPeerId().toString());
    assertThat(p.get("failureStreak").asInt()).isZero();
    assertThat(p.get("lastConnected").asText()).isNotEmpty();
    assertThat(p.get("directory").asBoolean()).isFalse();
    assertThat(p.get("reliability").asDouble()).isBetween(0.0, 1.0);

    a.close();
    nodes.remove(a);
    String text = run("peers", "--data-dir", dir);
    assertThat(text).startsWith("1 peers known").contains(id).contains("config");
  }

  /**
   * A node whose journal retention deleted every record that taught it a peer: {@code meshlog
   * peers} prints that peer from the stored registry, running and stopped, {@code projections
   * rebuild} keeps it, and {@code projections verify} compares the views only.
   */
  @Test
  void shouldPrintTheStoredRegistryOnceRetentionDeletedWhatTaughtIt() throws Exception {
    MeshlogNode b = start("b", Map.of("node.topics", "chat"));
    MeshlogNode a =
        start(
            "a",
            Map.of(
                "node.topics", "chat",
                "node.peers", b.listenAddresses().get(0).toString(),
                "journal.rollCycle", "TEST_SECONDLY",
                "journal.retention.maxAge", "1s",
                "journal.retention.interval", "100ms"));
    String dir = tmp.resolve("a").toString();
    String id = b.peerId().toBase58();
    Await.until(
        "a stored b in its registry, and retention deleted every record that taught a of b",
        () -> {
          a.publish("chat", "x".getBytes(StandardCharsets.UTF_8)); // new cycles keep coming
          return RegistryProbe.storedKnows(a, b.peerId())
              && !RegistryProbe.journalAloneKnows(a, b.peerId());
        });

    JsonNode running = peer(run("peers", "--data-dir", dir, "--format", "json"), id);
    assertThat(running).as("from the running node's store").isNotNull();
    assertThat(running.get("addresses").findValuesAsText("source")).contains("config");
    a.close();
    nodes.remove(a);
    assertThat(RegistryProbe.journalAloneKnows(a, b.peerId())).isFalse();
    JsonNode stopped = peer(run("peers", "--data-dir", dir, "--format", "json"), id);
    assertThat(stopped).as("from the stopped node's store").isNotNull();
    assertThat(stopped.get("addresses").findValuesAsText("source")).contains("config");
    assertThat(stopped.get("successes").asLong()).isPositive();

    assertThat(run("projections", "rebuild", "--data-dir", dir)).startsWith("rebuilt");
    JsonNode rebuilt = peer(run("peers", "--data-dir", dir, "--format", "json"), id);
    assertThat(rebuilt).as("kept by the rebuild").isNotNull();
    ((ObjectNode) rebuilt).remove("reliability"); // evaluated at each run's now
    assertThat(rebuilt).isEqualTo(((ObjectNode) stopped.deepCopy()).without("reliability"));
    assertThat(run("projections", "verify", "--data-dir", dir)).startsWith("identical");
  }

  @Test
  void shouldExit3WithoutAJournal() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(run(new StringWriter(), "peers", "--data-dir", empty.toString())).isEqualTo(3);
  }
}
