package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes that each list the other in {@code node.peers} (the configuration of two users who
 * added each other): they keep one connection between them, not two, and it stays one while both
 * dialers keep watching their configured peer; gossip flows both ways over it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MutualPeersTest {

  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private MeshlogNode a;
  private MeshlogNode b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void shouldKeepOneConnectionWhenTwoNodesListEachOther() throws Exception {
    // Each node's key is made first, so that each can be told the other's peer id.
    Identity ida = Identity.loadOrCreate(dir("a").resolve("identity.key"));
    Identity idb = Identity.loadOrCreate(dir("b").resolve("identity.key"));
    int portA = freePort();
    int portB = freePort();
    a = start("a", portA, idb, portB);
    b = start("b", portB, ida, portA);
    PeerId pa = a.peerId();
    PeerId pb = b.peerId();

    Await.until(
        "a and b in each other's mesh",
        () ->
            a.gossipsub().meshPeers(TOPIC).get().contains(pb)
                && b.gossipsub().meshPeers(TOPIC).get().contains(pa));
    // Dials that crossed at start settle on one connection (the one-connection-per-pair rule);
    // then both dialers go on watching their configured peer (backoff 50..200 ms here), and for
    // 3 s each side holds exactly one connection to the other at every look.
    Await.until(
        "one connection each way settled",
        () -> connectionsTo(a, pb) == 1 && connectionsTo(b, pa) == 1);
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until) {
      assertThat(connectionsTo(a, pb)).as("a's connections to b").isEqualTo(1);
      assertThat(connectionsTo(b, pa)).as("b's connections to a").isEqualTo(1);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }

    AtomicInteger atA = new AtomicInteger();
    AtomicInteger atB = new AtomicInteger();
    a.onMessage((topic, origin, envelope) -> atA.incrementAndGet());
    b.onMessage((topic, origin, envelope) -> atB.incrementAndGet());
    a.publish(TOPIC, "from a".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    b.publish(TOPIC, "from b".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    Await.until("each received the other's line", () -> atA.get() == 1 && atB.get() == 1);
  }

  private static long connectionsTo(MeshlogNode n, PeerId peer) {
    return n.host().connections().stream().filter(c -> c.peer().equals(peer)).count();
  }

  private MeshlogNode start(String name, int port, Identity other, int otherPort) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/" + port);
    p.put("node.topics", TOPIC);
    p.put("node.peers", "/ip4/127.0.0.1/tcp/" + otherPort + "/p2p/" + other.peerId().toBase58());
    p.put("node.dial.backoffMin", "50ms");
    p.put("node.dial.backoffMax", "200ms");
    return MeshlogNode.start(NodeConfig.fromProperties(p));
  }

  private Path dir(String name) throws Exception {
    return Files.createDirectories(tmp.resolve(name));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
