package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.reconciliation.MessageEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A whole meshlog node (journal, envelope, dialer) in a topic with a real js-libp2p peer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MeshlogNodeJsInteropIT {
  private static final String TOPIC = "meshlog-chat";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final JsPeers js = new JsPeers();
  @TempDir Path tmp;

  @Test
  void shouldExchangeMessagesWithJsEnvelopedOneWayAndPlainTheOther() throws Exception {
    JsPeer peer = js.start(JsPeerOptions.defaults().with("heartbeatMs", 200).allowLoopback());
    peer.subscribe(TOPIC);
    NodeConfig config =
        NodeConfig.builder(tmp)
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .gossipsub(GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build())
            .topics(List.of(TOPIC))
            .peers(List.of(peer.addr()))
            .build();
    List<MessageEnvelope> received = new CopyOnWriteArrayList<>();
    try (MeshlogNode node = MeshlogNode.start(config)) {
      node.onMessage((topic, origin, envelope) -> received.add(envelope));
      PeerId them = PeerId.parse(peer.peerId());
      awaitTrue(() -> node.gossipsub().meshPeers(TOPIC).join().contains(them));
      awaitTrue(() -> peer.meshPeers(TOPIC).contains(node.peerId().toBase58()));

      byte[] payload = "hello js, from a meshlog node".getBytes(StandardCharsets.UTF_8);
      node.publish(TOPIC, payload).get(5, TimeUnit.SECONDS);
      JsonNode got = peer.awaitEvent(JsPeer.event("message"), WAIT);
      MessageEnvelope atJs =
          MessageEnvelope.decode(Base64.getDecoder().decode(got.path("data").asText()));
      assertThat(atJs.isEnveloped()).isTrue();
      assertThat(atJs.payload()).isEqualTo(payload);
      assertThat(got.path("from").asText()).isEqualTo(node.peerId().toBase58());

      // js publishes only to peers whose subscription it has processed, which can trail a graft.
      awaitTrue(() -> peer.subscribers(TOPIC).contains(node.peerId().toBase58()));
      peer.publish(TOPIC, "plain js text".getBytes(StandardCharsets.UTF_8));
      awaitTrue(() -> !received.isEmpty());
      assertThat(received).hasSize(1);
      assertThat(received.get(0).isEnveloped()).isFalse();
      assertThat(new String(received.get(0).payload(), StandardCharsets.UTF_8))
          .isEqualTo("plain js text");
    }
  }

  private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    Await.until("the condition holds", WAIT, condition);
  }
}
