package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.gossipsub.GossipMessage;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Gossipsub over real hosts on 127.0.0.1: TCP, Noise, Yamux, multistream, framed RPCs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GossipStreamsTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config =
      GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private final class Node {
    final Identity identity = Identity.generate();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<GossipMessage> delivered = new CopyOnWriteArrayList<>();
    final Host host =
        Hosts.start(HostConfig.defaults(), identity, e -> events.add(new Event().copyFrom(e)));
    final Gossipsub gossip =
        Gossipsubs.start(
            host,
            identity,
            config,
            (from, m) -> delivered.add(m),
            e -> events.add(new Event().copyFrom(e)));

    Node() {
      closeables.add(host);
      closeables.add(gossip);
    }

    void dial(Node other) throws Exception {
      host.dial(other.host.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
    }

    int mesh() throws Exception {
      return gossip.meshPeers(TOPIC).get(5, TimeUnit.SECONDS).size();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    Await.until(what, condition::getAsBoolean);
  }

  private static BooleanSupplier meshOf(Node n, int size) {
    return () -> {
      try {
        return n.mesh() == size;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void shouldMeshAndDeliverOverRealConnections() throws Exception {
    Node a = new Node();
    Node b = new Node();
    Node c = new Node();
    a.dial(b);
    c.dial(b);
    for (Node n : List.of(a, b, c)) {
      n.gossip.subscribe(TOPIC);
    }
    await(meshOf(b, 2), "b to mesh with a and c");

    byte[] id =
        a.gossip
            .publish(TOPIC, "over tcp".getBytes(StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS);
    await(() -> c.delivered.size() == 1, "c to receive a's message through b");
    assertThat(c.delivered.get(0).id()).isEqualTo(id);
    assertThat(new String(c.delivered.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("over tcp");
    assertThat(c.events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.ADD_PEER);
              assertThat(e.text()).isEqualTo("/meshsub/1.2.0");
            });

    // b goes away: a and c lose their only gossip peer.
    b.host.close();
    await(() -> c.events.stream().anyMatch(e -> e.type() == EventType.REMOVE_PEER), "c to drop b");
    assertThat(c.mesh()).isZero();
  }

  @Test
  void shouldSendWhatItPublishedBeforeItClosed() throws Exception {
    Node a = new Node();
    Node b = new Node();
    a.dial(b);
    a.gossip.subscribe(TOPIC);
    b.gossip.subscribe(TOPIC);
    await(meshOf(a, 1), "a to mesh with b");

    // Far more than one Yamux window: most of it is still queued in a when the stop begins.
    int count = 40;
    byte[] data = new byte[64 * 1024];
    List<java.util.concurrent.CompletableFuture<byte[]>> published = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      data[0] = (byte) i;
      published.add(a.gossip.publish(TOPIC, data));
    }
    for (var f : published) {
      f.get(5, TimeUnit.SECONDS);
    }
    a.gossip.close();
    a.host.close();

    await(() -> b.delivered.size() == count, "b to deliver all " + count + " that a published");
  }
}
