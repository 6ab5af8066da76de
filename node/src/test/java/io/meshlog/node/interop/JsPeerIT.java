package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The interop harness itself, proven js <-> js: if these fail, no interop result can be trusted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsPeerIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension final JsPeers js = new JsPeers();

  @Test
  void shouldStartWithPeerIdAndLoopbackAddress() {
    JsPeer peer = js.start();

    assertThat(peer.peerId()).startsWith("12D3KooW");
    assertThat(peer.addr()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/" + peer.peerId());
  }

  @Test
  void shouldDialPingAndReportTheConnectionOnBothSides() {
    JsPeer a = js.start();
    JsPeer b = js.start();

    JsonNode conn = a.dial(b.addr());

    assertThat(conn.path("peer").asText()).isEqualTo(b.peerId());
    assertThat(conn.path("direction").asText()).isEqualTo("outbound");
    assertThat(conn.path("encryption").asText()).isEqualTo("/noise");
    assertThat(conn.path("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
    b.awaitEvent(JsPeer.event("peer:connect", "peer", a.peerId()), WAIT);
    JsonNode inbound = b.command("connections", Map.of()).get(0);
    assertThat(inbound.path("peer").asText()).isEqualTo(a.peerId());
    assertThat(inbound.path("direction").asText()).isEqualTo("inbound");
    assertThat(inbound.path("status").asText()).isEqualTo("open");
    assertThat(a.ping(b.peerId())).isGreaterThanOrEqualTo(0.0).isLessThan(5_000.0);
  }

  @Test
  void shouldExposeWhatIdentifyLearned() {
    JsPeer a = js.start();
    JsPeer b = js.start();
    a.dial(b.addr());

    a.awaitEvent(JsPeer.event("peer:identify", "peer", b.peerId()), WAIT);
    JsonNode info = a.command("peerInfo", Map.of("peer", b.peerId()));

    assertThat(info.path("agentVersion").asText()).startsWith("js-libp2p/");
    assertThat(info.path("protocolVersion").asText()).isEqualTo("ipfs/0.1.0");
    assertThat(texts(info.path("protocols")))
        .contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshlog/echo/1.0.0", "/meshsub/1.1.0");
    assertThat(info.path("addresses").get(0).path("addr").asText())
        .isEqualTo(b.addr().substring(0, b.addr().indexOf("/p2p/")));
    assertThat(info.path("hasPeerRecord").asBoolean()).isTrue();
  }

  @Test
  void shouldEchoOnParallelStreamsAndCheckTheData() {
    JsPeer a = js.start();
    JsPeer b = js.start();
    a.dial(b.addr());
    byte[] data = "meshlog echo check".getBytes(StandardCharsets.UTF_8);

    JsonNode small =
        a.command(
            "echo",
            Map.of(
                "peer", b.peerId(),
                "data", Base64.getEncoder().encodeToString(data),
                "streams", 4));
    JsonNode large =
        a.command("echo", Map.of("peer", b.peerId(), "size", 1 << 20, "streams", 8), WAIT);

    assertThat(small.path("matched").asBoolean()).isTrue();
    assertThat(Base64.getDecoder().decode(small.path("echoed").asText())).isEqualTo(data);
    assertThat(small.path("bytes").asLong()).isEqualTo(4L * data.length);
    assertThat(large.path("matched").asBoolean()).isTrue();
    assertThat(large.path("bytes").asLong()).isEqualTo(8L << 20);
  }

  @Test
  void shouldDeliverGossipWithTheMessageIdThePublisherReported() {
    JsPeer a = js.start();
    JsPeer b = js.start();
    a.subscribe("meshlog-test");
    b.subscribe("meshlog-test");
    a.dial(b.addr());
    awaitTrue(() -> a.meshPeers("meshlog-test").contains(b.peerId()), "a grafted b");
    byte[] data = "hello mesh".getBytes(StandardCharsets.UTF_8);

    String msgId = a.publish("meshlog-test", data);

    JsonNode message = b.awaitEvent(JsPeer.event("message", "msgId", msgId), WAIT);
    assertThat(message.path("topic").asText()).isEqualTo("meshlog-test");
    assertThat(message.path("from").asText()).isEqualTo(a.peerId());
    assertThat(Base64.getDecoder().decode(message.path("data").asText())).isEqualTo(data);
    assertThat(message.path("seqno").asText()).matches("\\d+");
    assertThat(texts(b.command("getSubscribers", Map.of("topic", "meshlog-test"))))
        .containsExactly(a.peerId());
  }

  /** Pins the fact docs/interop.md states: msgId = publicKeyProtobuf(author) || seqno(8, BE). */
  @Test
  void shouldComputeDefaultMessageIdFromAuthorKeyAndSeqno() {
    JsPeer a = js.start();
    JsPeer b = js.start();
    a.subscribe("ids");
    b.subscribe("ids");
    a.dial(b.addr());
    awaitTrue(() -> a.meshPeers("ids").contains(b.peerId()), "a grafted b");

    String msgId = a.publish("ids", new byte[] {1, 2, 3});

    JsonNode message = b.awaitEvent(JsPeer.event("message", "msgId", msgId), WAIT);
    byte[] peerId = Base58.decode(a.peerId());
    // Ed25519 peer id = identity multihash: 0x00, length 36, then the 36-byte key protobuf.
    assertThat(peerId).hasSize(38);
    byte[] expected = new byte[36 + 8];
    System.arraycopy(peerId, 2, expected, 0, 36);
    long seqno = Long.parseUnsignedLong(message.path("seqno").asText());
    for (int i = 0; i < 8; i++) {
      expected[36 + i] = (byte) (seqno >>> (56 - 8 * i));
    }
    assertThat(Base64.getDecoder().decode(msgId)).isEqualTo(expected);
  }

  @Test
  void shouldReportHangupAsDisconnect() {
    JsPeer a = js.start();
    JsPeer b = js.start();
    a.dial(b.addr());
    b.awaitEvent(JsPeer.event("peer:connect", "peer", a.peerId()), WAIT);

    a.command("hangup", Map.of("peer", b.peerId()));

    b.awaitEvent(JsPeer.event("peer:disconnect", "peer", a.peerId()), WAIT);
    assertThat(a.command("connections", Map.of())).isEmpty();
  }

  @Test
  void shouldFailCommandsWithTheJsErrorText() {
    JsPeer a = js.start();

    assertThatThrownBy(() -> a.command("nonsense", Map.of()))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("unknown command nonsense");
    assertThatThrownBy(() -> a.dial("/ip4/127.0.0.1/tcp/notaport"))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("dial")
        .hasMessageContaining("failed: ");
  }

  @Test
  void shouldApplyStartOptions() {
    JsPeer a =
        js.start(JsPeerOptions.defaults().with("D", 3).with("Dlo", 2).with("scoring", false));
    JsPeer plain = js.start(JsPeerOptions.defaults().with("gossip", false));

    assertThat(a.readyLine().path("options").path("D").asInt()).isEqualTo(3);
    assertThat(a.readyLine().path("options").path("Dlo").asInt()).isEqualTo(2);
    assertThat(a.readyLine().path("options").path("scoring").asBoolean()).isFalse();
    assertThatThrownBy(() -> plain.subscribe("t")).hasMessageContaining("gossipsub is off");
    assertThatThrownBy(() -> js.start(JsPeerOptions.defaults().with("nosuchoption", 1)))
        .isInstanceOf(JsPeerException.class)
        .hasMessageContaining("unknown option --nosuchoption");
  }

  @Test
  void shouldCaptureJsLoggingOnStderrOnlyWhenDebugIsSet() {
    JsPeer quiet = js.start();
    JsPeer verbose =
        js.start(JsPeerOptions.defaults().withEnv("DEBUG", "libp2p:connection-manager*"));

    verbose.dial(quiet.addr());

    awaitTrue(() -> verbose.stderr().contains("libp2p:connection-manager"), "debug output");
    assertThat(quiet.stderr()).isEmpty();
  }

  @Test
  void shouldLeaveNoProcessBehindAfterClose() {
    JsPeer a = JsPeer.start();
    ProcessHandle handle = a.processHandle();

    a.close();

    assertThat(handle.isAlive()).isFalse();
    assertThat(handle.descendants()).isEmpty();
    assertThatThrownBy(() -> a.command("connections", Map.of()))
        .isInstanceOf(JsPeerException.class);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what) {
    Await.until(what, WAIT, condition::get);
  }
}
