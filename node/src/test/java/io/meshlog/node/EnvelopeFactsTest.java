package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.reconciliation.MessageEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Envelopes of delivered messages, read on a real node receiving from another over TCP. */
@Timeout(90)
class EnvelopeFactsTest {
  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();
  private final AtomicInteger decodes = new AtomicInteger();

  @AfterEach
  void closeNodes() {
    nodes.forEach(MeshlogNode::close);
  }

  private MeshlogNode start(Path dir, List<String> peers, EnvelopeFacts envelopes) {
    NodeConfig config =
        NodeConfig.builder(dir)
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .topics(List.of(TOPIC))
            .peers(peers)
            .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .build();
    MeshlogNode node = MeshlogNode.start(config, List.of(), envelopes);
    nodes.add(node);
    return node;
  }

  @Test
  void shouldDecodeTheEnvelopeOfEachDeliveryOnce() throws Exception {
    MeshlogNode a = start(tmp.resolve("a"), List.of(), new EnvelopeFacts());
    MeshlogNode b =
        start(
            tmp.resolve("b"),
            List.of(a.listenAddresses().get(0).toString()),
            new EnvelopeFacts(
                data -> {
                  decodes.incrementAndGet();
                  return MessageEnvelope.decode(data);
                }));
    List<MessageEnvelope> received = new CopyOnWriteArrayList<>();
    b.onMessage((topic, origin, envelope) -> received.add(envelope));
    Await.until(
        "the condition holds",
        Duration.ofSeconds(30),
        () -> !a.gossipsub().meshPeers(TOPIC).get().isEmpty());

    for (int i = 0; i < 3; i++) {
      a.publish(TOPIC, new byte[] {(byte) i}).get();
    }
    Await.until("the condition holds", Duration.ofSeconds(30), () -> received.size() == 3);

    assertThat(received).extracting(MessageEnvelope::lamport).containsExactly(1L, 2L, 3L);
    assertThat(decodes).as("decodings for 3 deliveries").hasValue(3);
  }
}
