package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.node.p2p.internal.record.EnvelopeCodec;
import io.meshlog.node.p2p.internal.record.PeerRecordCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRecordTest {

  private final Identity alice = Identity.generate();
  private final Identity mallory = Identity.generate();
  private final List<Multiaddr> addrs =
      List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip4/10.0.0.1/tcp/9"));

  @Test
  void shouldOpenWhatItSignedWithPeerSeqAndAddresses() throws Exception {
    PeerRecord signed = PeerRecord.sign(alice, addrs, 42);

    PeerRecord opened = PeerRecord.open(signed.bytes());

    assertThat(opened.peerId()).isEqualTo(alice.peerId());
    assertThat(opened.seq()).isEqualTo(42);
    assertThat(opened.addresses()).isEqualTo(addrs);
    assertThat(opened.dialAddresses().get(0).peerId()).contains(alice.peerId());
    assertThat(opened.envelope().signer()).isEqualTo(alice.peerId());
    assertThat(opened.envelope().payloadType()).containsExactly(0x03, 0x01);
  }

  @Test
  void shouldDropATrailingPeerIdFromAddressesOnTheWire() throws Exception {
    PeerRecord signed = PeerRecord.sign(alice, List.of(addrs.get(0).withPeerId(alice.peerId())), 1);

    assertThat(PeerRecord.open(signed.bytes()).addresses()).containsExactly(addrs.get(0));
  }

  @Test
  void shouldOpenAddressesSignedWithTheirPeerIdWithoutIt() throws Exception {
    // As js-libp2p signs them: each address ends in /p2p/<own id>.
    Multiaddr other = addrs.get(1).withPeerId(mallory.peerId());
    byte[] payload =
        PeerRecordCodec.encode(
            new PeerRecordCodec.Fields(
                alice.peerId().bytes(),
                3,
                List.of(addrs.get(0).withPeerId(alice.peerId()).bytes(), other.bytes())));
    byte[] envelope =
        SignedEnvelope.seal(alice, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload).bytes();

    PeerRecord opened = PeerRecord.open(envelope);

    assertThat(opened.addresses())
        .as("another peer's address left out")
        .containsExactly(addrs.get(0));
    assertThat(opened.dialAddresses()).containsExactly(addrs.get(0).withPeerId(alice.peerId()));
  }

  @Test
  void shouldRefuseAFlippedSignatureBit() {
    byte[] bytes = PeerRecord.sign(alice, addrs, 1).bytes();
    bytes[bytes.length - 1] ^= 1; // the signature is the last field

    assertThatThrownBy(() -> PeerRecord.open(bytes))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void shouldRefuseAChangedPayload() {
    PeerRecord signed = PeerRecord.sign(alice, addrs, 1);
    SignedEnvelope e = signed.envelope();
    byte[] payload =
        PeerRecordCodec.encode(
            new PeerRecordCodec.Fields(alice.peerId().bytes(), 2, List.of(addrs.get(1).bytes())));
    byte[] forged =
        EnvelopeCodec.encode(
            new EnvelopeCodec.Fields(
                e.publicKeyProtobuf(), e.payloadType(), payload, e.signature()));

    assertThatThrownBy(() -> PeerRecord.open(forged)).hasMessageContaining("signature");
  }

  @Test
  void shouldRefuseARecordForSomeoneElseSignedWithTheSignersOwnKey() {
    byte[] payload =
        PeerRecordCodec.encode(
            new PeerRecordCodec.Fields(alice.peerId().bytes(), 1, List.of(addrs.get(0).bytes())));
    byte[] forged =
        SignedEnvelope.seal(mallory, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload).bytes();

    assertThatThrownBy(() -> PeerRecord.open(forged))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("signed by " + mallory.peerId());
  }

  @Test
  void shouldRefuseASignatureMadeForAnotherDomain() {
    byte[] payload =
        PeerRecordCodec.encode(new PeerRecordCodec.Fields(alice.peerId().bytes(), 1, List.of()));
    byte[] other =
        SignedEnvelope.seal(alice, "some-other-use", PeerRecord.PAYLOAD_TYPE, payload).bytes();

    assertThatThrownBy(() -> PeerRecord.open(other)).hasMessageContaining("signature");
  }

  @Test
  void shouldAcceptTheRfcProvisionalPayloadTypeWithItsDomain() throws Exception {
    byte[] payload =
        PeerRecordCodec.encode(
            new PeerRecordCodec.Fields(alice.peerId().bytes(), 7, List.of(addrs.get(0).bytes())));
    byte[] rfc =
        SignedEnvelope.seal(alice, PeerRecord.RFC_DOMAIN, PeerRecord.RFC_PAYLOAD_TYPE, payload)
            .bytes();

    assertThat(PeerRecord.open(rfc).seq()).isEqualTo(7);
  }

  @Test
  void shouldRefuseGarbageOversizeAndOtherPayloadTypes() {
    assertThatThrownBy(() -> PeerRecord.open(new byte[] {1, 2, 3}))
        .isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> PeerRecord.open(new byte[SignedEnvelope.MAX_BYTES + 1]))
        .hasMessageContaining("exceeds");
    byte[] other =
        SignedEnvelope.seal(alice, PeerRecord.DOMAIN, new byte[] {9}, new byte[0]).bytes();
    assertThatThrownBy(() -> PeerRecord.open(other)).hasMessageContaining("payload type");
  }
}
