package io.meshlog.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures catch-up speed: a fresh node joins peers that hold {@value #MESSAGES} messages of 1 KiB
 * and fills them all by sync, from one peer and from three. Prints min/median/max of {@value #RUNS}
 * runs; it asserts only that every message came, never a speed (numbers on a shared machine are
 * loaded). Run: {@code mvn -B -o -pl node -am test -Pslow -Dtest=SyncSpeedTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
@Timeout(900)
class SyncSpeedTest {
  private static final int MESSAGES = 3000;
  private static final int RUNS = 3;
  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private MeshlogNode start(Path dir, List<MeshlogNode> peers) {
    List<String> addresses = new ArrayList<>();
    for (MeshlogNode p : peers) {
      addresses.add(p.listenAddresses().get(0).toString());
    }
    MeshlogNode node = MeshlogNode.start(GapSyncTest.config(dir, addresses));
    nodes.add(node);
    return node;
  }

  @Test
  void shouldFillEveryMessageFromOneAndFromThreePeers() throws Exception {
    MeshlogNode s1 = start(tmp.resolve("s1"), List.of());
    MeshlogNode s2 = start(tmp.resolve("s2"), List.of(s1));
    MeshlogNode s3 = start(tmp.resolve("s3"), List.of(s1, s2));
    Await.until("s1's mesh", () -> s1.gossipsub().meshPeers(TOPIC).get().size() == 2);
    byte[] payload = new byte[1024];
    for (int i = 0; i < MESSAGES; i++) {
      payload[0] = (byte) i;
      s1.publish(TOPIC, payload.clone()).get();
    }
    Await.until(
        "s2 and s3 hold every message",
        Duration.ofSeconds(120),
        () ->
            s2.counter(NodeCounter.MESSAGES_RECEIVED) == MESSAGES
                && s3.counter(NodeCounter.MESSAGES_RECEIVED) == MESSAGES);
    for (List<MeshlogNode> sources : List.of(List.of(s1), List.of(s1, s2, s3))) {
      double[] perSecond = new double[RUNS];
      double[] mbPerSecond = new double[RUNS];
      for (int run = 0; run < RUNS; run++) {
        long t0 = System.nanoTime();
        MeshlogNode b = start(tmp.resolve("b" + sources.size() + "-" + run), sources);
        Await.until(
            "b filled every message",
            Duration.ofSeconds(300),
            () -> b.syncCounters().get(SyncCounter.MESSAGES_FILLED) == MESSAGES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytes = b.syncCounters().get(SyncCounter.BYTES_IN);
        perSecond[run] = MESSAGES / seconds;
        mbPerSecond[run] = bytes / 1e6 / seconds;
        assertThat(b.counter(NodeCounter.MESSAGES_RECEIVED)).isEqualTo(MESSAGES);
        nodes.remove(b);
        b.close();
      }
      Arrays.sort(perSecond);
      Arrays.sort(mbPerSecond);
      System.out.printf(
          "sync speed from %d peer(s), %d x 1 KiB, from node start: messages/s min %.0f median %.0f"
              + " max %.0f; answer MB/s min %.2f median %.2f max %.2f%n",
          sources.size(),
          MESSAGES,
          perSecond[0],
          perSecond[RUNS / 2],
          perSecond[RUNS - 1],
          mbPerSecond[0],
          mbPerSecond[RUNS / 2],
          mbPerSecond[RUNS - 1]);
    }
  }
}
