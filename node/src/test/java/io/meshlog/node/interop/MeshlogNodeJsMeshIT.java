package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.reconciliation.MessageEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One meshlog node in a mesh of three js-libp2p nodes: what js publishes is in meshlog's journal
 * with its topic, origin, seqno and bytes; what meshlog publishes reaches every js node; and no js
 * node ever prunes meshlog from its mesh or scores it below zero.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MeshlogNodeJsMeshIT {
  private static final String TOPIC = "meshlog-mesh";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ROUNDS = 5;

  @RegisterExtension final JsPeers js = new JsPeers();
  @TempDir Path tmp;

  @Test
  void shouldBehaveAsOneOfThreeJsPeersInTheirMesh() throws Exception {
    List<JsPeer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsPeer peer = js.start(JsPeerOptions.defaults().with("heartbeatMs", 200).allowLoopback());
      peer.subscribe(TOPIC);
      peers.add(peer);
    }
    peers.get(0).dial(peers.get(1).addr());
    peers.get(1).dial(peers.get(2).addr());
    peers.get(2).dial(peers.get(0).addr());

    NodeConfig config =
        NodeConfig.builder(tmp)
            .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
            .gossipsub(GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build())
            .topics(List.of(TOPIC))
            .peers(peers.stream().map(JsPeer::addr).toList())
            .build();
    try (MeshlogNode node = MeshlogNode.start(config)) {
      String us = node.peerId().toBase58();
      for (JsPeer peer : peers) {
        awaitTrue(() -> peer.meshPeers(TOPIC).contains(us));
        awaitTrue(() -> peer.subscribers(TOPIC).contains(us));
      }

      // js -> meshlog: each js node publishes; meshlog journals each message once, with its fields.
      Map<String, byte[]> sentByJs = new HashMap<>();
      Map<String, JsPeer> authorOf = new HashMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        for (JsPeer peer : peers) {
          byte[] data = ("js " + round + " from " + peer.peerId()).getBytes(StandardCharsets.UTF_8);
          String id = peer.publish(TOPIC, data);
          sentByJs.put(id, data);
          authorOf.put(id, peer);
        }
        // meshlog -> js: every js node receives meshlog's message.
        byte[] payload = ("meshlog round " + round).getBytes(StandardCharsets.UTF_8);
        node.publish(TOPIC, payload).get(5, TimeUnit.SECONDS);
        for (JsPeer peer : peers) {
          JsonNode got =
              peer.awaitEvent(
                  e ->
                      "message".equals(e.path("event").asText())
                          && us.equals(e.path("from").asText())
                          && payloadOf(e).equals(new String(payload, StandardCharsets.UTF_8)),
                  WAIT);
          assertThat(got.path("topic").asText()).isEqualTo(TOPIC);
        }
        // meshlog stays in every js mesh, in good standing, all along.
        for (JsPeer peer : peers) {
          assertThat(peer.meshPeers(TOPIC)).contains(us);
          double score =
              peer.command("peerScore", Map.of("peer", us)).path("score").asDouble(Double.NaN);
          assertThat(score).isGreaterThanOrEqualTo(0.0);
        }
      }

      Map<String, Event> delivered = new HashMap<>();
      awaitTrue(
          () -> {
            delivered.clear();
            delivered.putAll(journaledDeliveries(node));
            return delivered.keySet().containsAll(sentByJs.keySet());
          });
      for (Map.Entry<String, byte[]> sent : sentByJs.entrySet()) {
        Event e = delivered.get(sent.getKey());
        byte[] id = Base64.getDecoder().decode(sent.getKey());
        PeerId author = PeerId.parse(authorOf.get(sent.getKey()).peerId());
        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.origin()).isEqualTo(author.bytes());
        // js's message id is the author's key followed by the 8-byte big-endian seqno.
        assertThat(e.originSeqno()).isEqualTo(ByteBuffer.wrap(id, id.length - 8, 8).getLong());
        assertThat(e.data()).isEqualTo(sent.getValue());
      }
      assertThat(countJournaled(node, EventType.DELIVER_MESSAGE)).isEqualTo(sentByJs.size());
      assertThat(prunedByPeers(node)).as("PRUNEs js sent us").isZero();
    }
  }

  private static String payloadOf(JsonNode event) {
    byte[] data = Base64.getDecoder().decode(event.path("data").asText());
    return new String(MessageEnvelope.decode(data).payload(), StandardCharsets.UTF_8);
  }

  /** DELIVER_MESSAGE events by message id (js's text form: base64 without padding). */
  private static Map<String, Event> journaledDeliveries(MeshlogNode node) {
    Map<String, Event> out = new HashMap<>();
    Base64.Encoder text = Base64.getEncoder().withoutPadding();
    try (JournalReader r = node.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == EventType.DELIVER_MESSAGE) {
          Event copy =
              new Event()
                  .copyFrom(e)
                  .origin(e.origin().clone())
                  .data(e.data().clone())
                  .messageId(e.messageId().clone());
          out.put(text.encodeToString(copy.messageId()), copy);
        }
      }
    }
    return out;
  }

  private static long countJournaled(MeshlogNode node, EventType type) {
    long n = 0;
    try (JournalReader r = node.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == type) {
          n++;
        }
      }
    }
    return n;
  }

  private static long prunedByPeers(MeshlogNode node) {
    long n = 0;
    try (JournalReader r = node.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == EventType.PRUNE && e.direction() == Direction.INBOUND) {
          n++;
        }
      }
    }
    return n;
  }

  private static void awaitTrue(Callable<Boolean> condition) {
    Await.until("the condition holds", WAIT, condition);
  }
}
