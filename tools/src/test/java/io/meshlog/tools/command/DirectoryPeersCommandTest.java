package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class DirectoryPeersCommandTest {

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
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    p.put("discovery.meshCheck", "200ms");
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    nodes.add(n);
    return n;
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    assertThat(cl.execute(args)).isZero();
    return out.toString();
  }

  private static Set<String> peers(String json) throws Exception {
    JsonNode root = StrictJsonLines.single(json);
    Set<String> out = new TreeSet<>();
    for (JsonNode p : root.get("peers")) {
      assertThat(p.get("addresses").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");
      assertThat(p.get("expiresAt").asText()).isGreaterThan(p.get("registeredAt").asText());
      out.add(p.get("peer").asText());
    }
    return out;
  }

  @Test
  void shouldAnswerWhoIsInAChannelForARunningAndAStoppedDirectory() throws Exception {
    MeshlogNode directory = start("dir", Map.of("node.role", "directory"));
    String address = directory.listenAddresses().get(0).toString();
    MeshlogNode a = start("a", Map.of("node.topics", "chat", "node.directories", address));
    MeshlogNode b = start("b", Map.of("node.topics", "chat,random", "node.directories", address));
    Await.until(
        "three registrations",
        () ->
            directory.directory().orElseThrow().registrations("chat").size() == 2
                && directory.directory().orElseThrow().registrations("random").size() == 1);
    String dir = tmp.resolve("dir").toString();
    Set<String> expected = new TreeSet<>(List.of(a.peerId().toBase58(), b.peerId().toBase58()));

    Await.until(
        "the journal holds both registrations",
        () ->
            peers(
                    run(
                        "directory",
                        "peers",
                        "--data-dir",
                        dir,
                        "--topic",
                        "chat",
                        "--format",
                        "json"))
                .equals(expected));

    // SIGKILL-like for the reader's purpose: the directory stops, its journal stays.
    directory.close();
    nodes.remove(directory);
    String json =
        run("directory", "peers", "--data-dir", dir, "--topic", "chat", "--format", "json");
    assertThat(peers(json)).isEqualTo(expected);
    String text = run("directory", "peers", "--data-dir", dir, "--topic", "random");
    assertThat(text).contains("topic random: 1 peers registered").contains(b.peerId().toBase58());
    assertThat(run("directory", "peers", "--data-dir", dir, "--topic", "nobody"))
        .contains("topic nobody: 0 peers registered");
  }
}
