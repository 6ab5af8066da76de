package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.GossipsubSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A community host: many users behind one (non-loopback) address, as behind an office or carrier
 * NAT, each connected to the host and to a few of the others. At the default settings every one of
 * them is served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommunityTest {
  private static final String TOPIC = "lobby";
  private static final String NAT = "203.0.113.7";
  private static final String HOST = "198.51.100.1";

  @Test
  void shouldServeTwentyPeersBehindOneAddressAtTheDefaults() {
    assertServed(run(20, settings(Map.of())), 20);
  }

  @Test
  void shouldServeAHundredPeersBehindOneAddressAtTheDefaults() {
    assertServed(run(100, settings(Map.of())), 100);
  }

  @Test
  void shouldGraylistTwentyPeersBehindOneAddressWhenColocationIsScoredTheOldWay() {
    // The control: the former defaults (P6 weight -10 above 4 per address) graylist all of them,
    // so the test above can fail.
    GossipsubConfig old =
        settings(
            Map.of(
                "gossipsub.score.ipColocationFactorWeight", "-10",
                "gossipsub.score.ipColocationFactorThreshold", "4"));
    Community c = run(20, old);
    assertThat(c.host.counters.get(GossipCounter.RPC_GRAYLISTED)).isPositive();
    assertThat(c.missing()).isPositive();
    // Never silent: each graylisted user is counted once and shown with the term that caused it.
    assertThat(c.host.router.graylisted()).hasSize(20);
    assertThat(c.host.counters.get(GossipCounter.PEERS_GRAYLISTED)).isEqualTo(20);
    for (GossipRouter.Graylisting g : c.host.router.graylisted().values()) {
      assertThat(g.term()).isEqualTo("P6");
      assertThat(g.breakdown()).startsWith("score -2,560 = P6 -2,560");
    }
  }

  @Test
  void shouldNotScoreColocationOnAnAllowedAddress() {
    GossipsubConfig allowed =
        settings(
            Map.of(
                "gossipsub.score.ipColocationFactorWeight", "-10",
                "gossipsub.score.ipColocationFactorThreshold", "4",
                "gossipsub.score.ipColocationFactorWhitelist", "203.0.113.0/24"));
    assertServed(run(20, allowed), 20);
  }

  private record Community(SimNetwork.Node host, List<SimNetwork.Node> users, List<byte[]> ids) {
    /** Messages some node did not get (its own excepted). */
    long missing() {
      long missing = 0;
      for (SimNetwork.Node n : all()) {
        Set<String> got = new HashSet<>();
        for (GossipMessage m : n.delivered) {
          got.add(new String(m.data(), StandardCharsets.UTF_8));
        }
        for (byte[] id : ids) {
          String text = new String(id, StandardCharsets.UTF_8);
          if (!text.startsWith(n.key + ":") && !got.contains(text)) {
            missing++;
          }
        }
      }
      return missing;
    }

    List<SimNetwork.Node> all() {
      List<SimNetwork.Node> all = new ArrayList<>(users);
      all.add(host);
      return all;
    }
  }

  private static GossipsubConfig settings(Map<String, String> props) {
    GossipsubSettings.Draft d = new GossipsubSettings.Draft();
    GossipsubSettings.table().apply(d, props);
    return d.build();
  }

  private static Community run(int count, GossipsubConfig config) {
    SimNetwork net = new SimNetwork(config, 15);
    SimNetwork.Node host = net.addNode();
    host.ip = HOST;
    List<SimNetwork.Node> users = net.addNodes(count);
    users.forEach(u -> u.ip = NAT);
    for (SimNetwork.Node u : users) {
      net.connect(u, host);
    }
    net.connectRandomly(users, 3);
    host.router.subscribe(TOPIC, net.now);
    users.forEach(u -> u.router.subscribe(TOPIC, net.now));
    net.drain();
    net.heartbeats(5);
    List<byte[]> texts = new ArrayList<>();
    for (SimNetwork.Node u : users) {
      byte[] text = (u.key + ":hello").getBytes(StandardCharsets.UTF_8);
      u.router.publish(TOPIC, text, net.now);
      texts.add(text);
      net.drain();
    }
    byte[] fromHost = (host.key + ":welcome").getBytes(StandardCharsets.UTF_8);
    host.router.publish(TOPIC, fromHost, net.now);
    texts.add(fromHost);
    net.drain();
    net.heartbeats(3);
    return new Community(host, users, texts);
  }

  private static void assertServed(Community c, int count) {
    assertThat(c.missing()).as("messages some subscriber did not get").isZero();
    for (SimNetwork.Node n : c.all()) {
      assertThat(n.counters.get(GossipCounter.RPC_GRAYLISTED)).as("RPCs graylisted").isZero();
      assertThat(n.router.graylisted()).as("peers graylisted").isEmpty();
    }
    for (SimNetwork.Node u : c.users) {
      assertThat(c.host.router.score(u.key)).as("host's score of a user").isNotNegative();
    }
    assertThat(c.host.router.topicPeers(TOPIC)).hasSize(count);
  }
}
