package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.node.gossipsub.Ed25519MessageSigner;
import io.meshlog.node.gossipsub.MessageIdFunction;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageSignaturesTest {
  private final Ed25519MessageSigner signer = Ed25519MessageSigner.generate();
  private final byte[] seqno = {0, 0, 0, 0, 0, 0, 1, 2};

  private Rpc.PubMessage signed() {
    return MessageSignatures.sign(
        new Rpc.PubMessage(
            signer.peerId(), "hi".getBytes(StandardCharsets.UTF_8), seqno, "chat", null, null),
        signer);
  }

  @Test
  void shouldAcceptItsOwnSignatureAndCarryTheKeyLikeJs() {
    Rpc.PubMessage m = signed();
    assertThat(m.key()).as("js always sends the key").isEqualTo(signer.publicKeyProtobuf());
    assertThat(m.signature()).hasSize(64);
    assertThat(MessageSignatures.checkStrictSign(m)).isNull();
    assertThat(
            MessageSignatures.checkStrictSign(
                new Rpc.PubMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), null)))
        .as("the key may be left out when the peer id inlines it")
        .isNull();
    assertThat(signer.peerId()).startsWith(0x00, 0x24, 0x08, 0x01, 0x12, 0x20);
  }

  @Test
  void shouldRejectTamperingAndMissingFields() {
    Rpc.PubMessage m = signed();
    Rpc.PubMessage otherData =
        new Rpc.PubMessage(m.from(), new byte[] {1}, m.seqno(), m.topic(), m.signature(), null);
    Rpc.PubMessage otherTopic =
        new Rpc.PubMessage(m.from(), m.data(), m.seqno(), "news", m.signature(), null);
    Rpc.PubMessage otherFrom =
        new Rpc.PubMessage(
            Ed25519MessageSigner.generate().peerId(),
            m.data(),
            m.seqno(),
            m.topic(),
            m.signature(),
            null);
    assertThat(MessageSignatures.checkStrictSign(otherData)).isEqualTo("invalid signature");
    assertThat(MessageSignatures.checkStrictSign(otherTopic)).isEqualTo("invalid signature");
    assertThat(MessageSignatures.checkStrictSign(otherFrom)).isEqualTo("invalid signature");
    assertThat(MessageSignatures.checkStrictSign(m.unsigned())).isEqualTo("missing signature");
    assertThat(
            MessageSignatures.checkStrictSign(
                new Rpc.PubMessage(m.from(), m.data(), null, m.topic(), m.signature(), null)))
        .isEqualTo("missing seqno");
    byte[] wrongKey = Ed25519MessageSigner.generate().publicKeyProtobuf();
    assertThat(
            MessageSignatures.checkStrictSign(
                new Rpc.PubMessage(
                    m.from(), m.data(), m.seqno(), m.topic(), m.signature(), wrongKey)))
        .isEqualTo("key does not match from");
    byte[] shaPeerId = new byte[34];
    shaPeerId[0] = 0x12;
    shaPeerId[1] = 0x20;
    assertThat(
            MessageSignatures.checkStrictSign(
                new Rpc.PubMessage(shaPeerId, m.data(), m.seqno(), m.topic(), m.signature(), null)))
        .isEqualTo("no public key");
    assertThat(MessageSignatures.checkStrictNoSign(m)).isNotNull();
  }

  @Test
  void shouldUseTheJsDefaultMessageIdOfKeyProtobufThenEightByteSeqno() {
    byte[] id =
        MessageIdFunction.STRICT_SIGN_JS.messageId(
            signer.peerId(), seqno, "chat", new byte[0], null);
    byte[] expected = Arrays.copyOf(signer.publicKeyProtobuf(), 36 + 8);
    System.arraycopy(seqno, 0, expected, 36, 8);
    assertThat(id).isEqualTo(expected);
    // js re-pads the seqno it read as a number: shorter or zero-led seqnos give the same 8 bytes.
    assertThat(
            MessageIdFunction.STRICT_SIGN_JS.messageId(
                signer.peerId(), new byte[] {1, 2}, "chat", new byte[0], null))
        .isEqualTo(expected);
    assertThatThrownBy(
            () ->
                MessageIdFunction.STRICT_SIGN_JS.messageId(
                    signer.peerId(), null, "c", new byte[0], null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
