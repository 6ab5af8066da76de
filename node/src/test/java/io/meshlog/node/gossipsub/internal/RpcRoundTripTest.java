package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RpcRoundTripTest {
  private final RpcLimits limits = RpcPrechecker.limitsOf(GossipsubConfig.builder().build());

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Rpc fullRpc() {
    return new Rpc(
        List.of(new Rpc.SubOpts(true, "chat"), new Rpc.SubOpts(false, "news")),
        List.of(
            new Rpc.PubMessage(
                b("from"),
                b("data"),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 7},
                "chat",
                b("sig"),
                b("key")),
            new Rpc.PubMessage(null, new byte[0], null, "news", null, null)),
        new Rpc.Control(
            List.of(new Rpc.IHave("chat", List.of(b("id1"), b("id2")))),
            List.of(new Rpc.IWant(List.of(b("id3")))),
            List.of(new Rpc.Graft("chat")),
            List.of(
                new Rpc.Prune("news", List.of(new Rpc.PeerInfo(b("peer"), b("record"))), 60),
                new Rpc.Prune("old", List.of(), -1)),
            List.of(new Rpc.IDontWant(List.of(b("id4"))))));
  }

  @Test
  void shouldRoundTripEveryPart() throws Exception {
    Rpc rpc = fullRpc();
    byte[] bytes = RpcEncoder.encode(rpc);
    Rpc back = RpcDecoder.decode(bytes, limits);
    assertThat(RpcEncoder.encode(back)).isEqualTo(bytes);
    assertThat(back.subscriptions()).isEqualTo(rpc.subscriptions());
    assertThat(back.publish().get(0).data()).isEqualTo(b("data"));
    assertThat(back.publish().get(1).data()).as("empty data stays present").isEmpty();
    assertThat(back.publish().get(1).from()).as("absent stays absent").isNull();
    assertThat(back.control().prune().get(0).backoffSeconds()).isEqualTo(60);
    assertThat(back.control().prune().get(1).backoffSeconds()).isEqualTo(-1);
    assertThat(back.control().prune().get(0).peers().get(0).signedPeerRecord())
        .isEqualTo(b("record"));
    assertThat(back.control().idontwant().get(0).messageIds().get(0)).isEqualTo(b("id4"));
    assertThat(RpcSummary.of(back))
        .isEqualTo(
            "sub=2 pub=2 ihave=1/2 (..696431) iwant=1 (..696433) graft=[chat] prune=[news px=1,old]"
                + " idontwant=1");
  }

  @Test
  void shouldMatchTheProtobufWireLayoutOfAMessage() throws Exception {
    // field 1 (from) "a", field 2 (data) "b", field 4 (topic) "t", inside RPC field 2.
    byte[] expected = {0x12, 0x09, 0x0a, 0x01, 'a', 0x12, 0x01, 'b', 0x22, 0x01, 't'};
    Rpc rpc =
        new Rpc(
            List.of(), List.of(new Rpc.PubMessage(b("a"), b("b"), null, "t", null, null)), null);
    assertThat(RpcEncoder.encode(rpc)).isEqualTo(expected);
    assertThat(RpcEncoder.signingBytes(rpc.publish().get(0)))
        .startsWith(b("libp2p-pubsub:"))
        .endsWith(0x0a, 0x01, 'a', 0x12, 0x01, 'b', 0x22, 0x01, 't');
  }

  @Test
  void shouldSkipUnknownFields() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(buf);
    o.writeUInt64(9, 12345); // unknown varint
    o.writeByteArray(10, b("future")); // unknown bytes
    o.writeFixed64(11, 1);
    o.flush();
    byte[] sub =
        RpcEncoder.encode(new Rpc(List.of(new Rpc.SubOpts(true, "chat")), List.of(), null));
    byte[] all = concat(buf.toByteArray(), sub);
    assertThat(RpcDecoder.decode(all, limits).subscriptions())
        .containsExactly(new Rpc.SubOpts(true, "chat"));
  }

  @Test
  void shouldRejectOversizedInputBeforeDecoding() {
    byte[] big = new byte[limits.maxRpcSize() + 1];
    assertThatThrownBy(() -> RpcDecoder.decode(big, limits))
        .isInstanceOf(RpcDecodeException.class)
        .hasMessageContaining("exceeds maxRpcSize");
  }

  @Test
  void shouldRejectEveryTruncationInsideANestedMessage() {
    byte[] bytes = RpcEncoder.encode(fullRpc());
    int rejected = 0;
    for (int len = 1; len < bytes.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, len);
      try {
        RpcDecoder.decode(cut, limits);
      } catch (RpcDecodeException e) {
        assertThat(e.getMessage()).matches("(truncated|malformed).*");
        rejected++;
      }
    }
    // The RPC is one run of top-level fields; a cut can only land cleanly between two of them.
    int boundaries = fullRpc().subscriptions().size() + fullRpc().publish().size();
    assertThat(rejected).isGreaterThanOrEqualTo(bytes.length - 1 - boundaries);
  }

  @Test
  void shouldRejectLengthsPointingPastTheEnd() {
    byte[] lying = {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0x0a};
    assertThatThrownBy(() -> RpcDecoder.decode(lying, limits))
        .isInstanceOf(RpcDecodeException.class)
        .hasMessageStartingWith("truncated");
  }

  @Test
  void shouldRejectWrongWireTypes() {
    byte[] varintSubscription = {0x08, 0x01};
    assertThatThrownBy(() -> RpcDecoder.decode(varintSubscription, limits))
        .hasMessage("wrong wire type 0 for subscriptions");
  }

  @Test
  void shouldRejectMessagesWithoutTopicAndInvalidUtf8() {
    byte[] noTopic =
        RpcEncoder.encode(
            new Rpc(
                List.of(),
                List.of(new Rpc.PubMessage(b("a"), b("b"), null, "t", null, null)),
                null));
    byte[] stripped = java.util.Arrays.copyOf(noTopic, noTopic.length - 3);
    stripped[1] = (byte) (stripped[1] - 3);
    assertThatThrownBy(() -> RpcDecoder.decode(stripped, limits))
        .hasMessage("message without topic");
    byte[] sub = {0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, (byte) 0xff};
    assertThatThrownBy(() -> RpcDecoder.decode(sub, limits)).hasMessage("topic is not UTF-8");
  }

  @Test
  void shouldBoundRepeatedFields() {
    List<Rpc.SubOpts> subs = new ArrayList<>();
    for (int i = 0; i <= limits.maxSubscriptions(); i++) {
      subs.add(new Rpc.SubOpts(true, "t" + i));
    }
    byte[] tooManySubs = RpcEncoder.encode(new Rpc(subs, List.of(), null));
    assertThatThrownBy(() -> RpcDecoder.decode(tooManySubs, limits))
        .hasMessage("more than " + limits.maxSubscriptions() + " subscriptions");

    List<byte[]> ids = new ArrayList<>();
    for (int i = 0; i <= limits.maxIds(); i++) {
      ids.add(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    byte[] tooManyIds =
        RpcEncoder.encode(
            new Rpc(
                List.of(),
                List.of(),
                new Rpc.Control(
                    List.of(new Rpc.IHave("t", ids)), List.of(), List.of(), List.of(), List.of())));
    assertThatThrownBy(() -> RpcDecoder.decode(tooManyIds, limits))
        .hasMessage("more than " + limits.maxIds() + " message ids");

    List<Rpc.Graft> grafts = new ArrayList<>();
    for (int i = 0; i <= limits.maxControlEntries(); i++) {
      grafts.add(new Rpc.Graft("t"));
    }
    byte[] tooManyEntries =
        RpcEncoder.encode(
            new Rpc(
                List.of(),
                List.of(),
                new Rpc.Control(List.of(), List.of(), grafts, List.of(), List.of())));
    assertThatThrownBy(() -> RpcDecoder.decode(tooManyEntries, limits))
        .hasMessage("more than " + limits.maxControlEntries() + " control entries");
  }

  @Test
  void shouldRejectOversizedFields() {
    byte[] longTopic =
        RpcEncoder.encode(
            new Rpc(
                List.of(new Rpc.SubOpts(true, "x".repeat(limits.maxTopicLength() + 1))),
                List.of(),
                null));
    assertThatThrownBy(() -> RpcDecoder.decode(longTopic, limits))
        .hasMessage(
            "topic of "
                + (limits.maxTopicLength() + 1)
                + " bytes exceeds "
                + limits.maxTopicLength());
  }

  @Test
  void shouldOnlyEverRejectRandomInputWithAReason() {
    Random random = new Random(1234);
    int rejected = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      try {
        RpcDecoder.decode(junk, limits);
      } catch (RpcDecodeException e) {
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(15_000);
  }

  @Test
  void shouldRejectMutatedValidRpcsWithAReasonOrDecodeThem() throws IOException {
    byte[] valid = RpcEncoder.encode(fullRpc());
    Random random = new Random(99);
    for (int i = 0; i < 20_000; i++) {
      byte[] m = valid.clone();
      for (int j = 0; j < 3; j++) {
        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
      }
      try {
        Rpc rpc = RpcDecoder.decode(m, limits);
        RpcEncoder.encode(rpc); // whatever decodes must encode again
      } catch (RpcDecodeException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
