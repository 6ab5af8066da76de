package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Five real nodes in one topic, one publisher that every other node is connected to (and meshed
 * with: four peers, within D_hi): every node delivers every message, in one order. Replaying their
 * five journals reports exactly that and no anomaly of any kind, so that what replay reports on a
 * real run is what went wrong, not noise.
 *
 * <p>A node that hears the publisher through two relays is another matter: gossipsub promises no
 * FIFO order across paths, and such a node does deliver some messages out of order, which replay
 * rightly reports as {@code fifo-inversion} (docs/replay.md).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthyMeshReplayTest {

  private static final String TOPIC = "chat";
  private static final int NODES = 5;
  private static final int MESSAGES = 100;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();
  private final List<AtomicInteger> received = new ArrayList<>();

  @AfterEach
  void stop() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private MeshlogNode start(int i, List<MeshlogNode> peers) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", tmp.resolve("n" + i).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", TOPIC);
    List<String> addresses = new ArrayList<>();
    for (MeshlogNode peer : peers) {
      addresses.add(peer.listenAddresses().get(0) + "/p2p/" + peer.peerId());
    }
    p.put("node.peers", String.join(",", addresses));
    MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
    AtomicInteger count = new AtomicInteger();
    n.onMessage((topic, origin, envelope) -> count.incrementAndGet());
    nodes.add(n);
    received.add(count);
    return n;
  }

  @Test
  void shouldReportNoAnomalyForAHealthyFiveNodeRun() throws Exception {
    MeshlogNode publisher = start(1, List.of());
    for (int i = 2; i <= NODES; i++) {
      start(i, List.of(publisher));
    }
    for (MeshlogNode n : nodes) {
      Await.until(
          n.peerId() + " in a mesh for " + TOPIC,
          () -> !n.gossipsub().meshPeers(TOPIC).get().isEmpty());
    }
    // Every node in the publisher's own mesh before the first line: a node whose subscription the
    // publisher has not heard yet is not owed that line by gossip, gets it by gap sync later, and
    // so does deliver it after the next one (a fifo-inversion replay rightly reports).
    Await.until(
        "every node in the publisher's mesh",
        () -> publisher.gossipsub().meshPeers(TOPIC).get().size() == NODES - 1);
    for (int m = 0; m < MESSAGES; m++) {
      publisher
          .publish(TOPIC, ("line " + m).getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    for (int i = 1; i < NODES; i++) {
      AtomicInteger count = received.get(i);
      Await.until("node " + (i + 1) + " received every message", () -> count.get() == MESSAGES);
    }
    for (MeshlogNode n : nodes) {
      n.close();
    }

    List<String> args = new ArrayList<>(List.of("replay", "--format", "json"));
    for (int i = 1; i <= NODES; i++) {
      args.addAll(List.of("--data-dir", tmp.resolve("n" + i).toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
    List<JsonNode> lines = StrictJsonLines.parse(out.toString());
    JsonNode summary = lines.get(lines.size() - 1);
    assertThat(summary.get("kind").asText()).isEqualTo("summary");
    assertThat(summary.get("messages").asInt()).isEqualTo(MESSAGES);
    assertThat(summary.get("deliveries").asInt()).isEqualTo(MESSAGES * NODES);
    List<String> reported = new ArrayList<>();
    JsonNode anomalies = summary.get("anomalies");
    for (String name :
        List.of(
            "lost",
            "duplicate-delivery",
            "fifo-inversion",
            "causal-inversion",
            "order-divergence",
            "late")) {
      if (anomalies.path(name).asLong(-1) != 0) {
        reported.add(name + "=" + anomalies.path(name));
      }
    }
    assertThat(reported).as("anomalies in a healthy run: " + out).isEmpty();
    assertThat(summary.get("anomalies").size()).isEqualTo(6);
  }
}
