package io.meshlog.node.p2p;

import io.meshlog.node.p2p.internal.record.PeerRecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A signed peer record (libp2p RFC 0003): a peer's id, its listen addresses and a sequence number
 * that orders its records in time, in a {@link SignedEnvelope} signed by that peer. This is what
 * identify's {@code signedPeerRecord} field, rendezvous registrations and gossipsub PX carry.
 *
 * <p>Wire constants: meshlog seals with the payload type and domain that go-libp2p and js-libp2p
 * use, the {@code libp2p-peer-record} multicodec ({@code 0x0301}) and the domain {@code
 * libp2p-peer-record}. {@link #open} also accepts the RFC's provisional form, payload type {@code
 * /libp2p/routing-state-record} with the domain {@code libp2p-routing-state}.
 *
 * <p>Use: {@code PeerRecord.sign(identity, addrs, seq).bytes()} to send, {@code
 * PeerRecord.open(bytes)} to receive (verified, or {@link InvalidRecordException}). Keep the record
 * with the highest {@link #seq()} per peer.
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerRecord {

  /** The payload type meshlog seals with: the {@code libp2p-peer-record} multicodec, 0x0301. */
  public static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

  /** The domain string that goes with {@link #PAYLOAD_TYPE}. */
  public static final String DOMAIN = "libp2p-peer-record";

  /** The RFC 0003 provisional payload type, accepted by {@link #open}. */
  public static final byte[] RFC_PAYLOAD_TYPE =
      "/libp2p/routing-state-record".getBytes(StandardCharsets.UTF_8);

  /** The RFC 0003 domain that goes with {@link #RFC_PAYLOAD_TYPE}. */
  public static final String RFC_DOMAIN = "libp2p-routing-state";

  private final PeerId peerId;
  private final long seq;
  private final List<Multiaddr> addresses;
  private final SignedEnvelope envelope;

  private PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses, SignedEnvelope envelope) {
    this.peerId = peerId;
    this.seq = seq;
    this.addresses = List.copyOf(addresses);
    this.envelope = envelope;
  }

  /**
   * Signs a record of {@code identity}'s peer id with {@code addresses} (a trailing {@code
   * /p2p/<id>} is left out on the wire, as libp2p does) and {@code seq}.
   *
   * @param seq larger than every earlier record of this peer; wall-clock nanoseconds do
   */
  public static PeerRecord sign(Identity identity, List<Multiaddr> addresses, long seq) {
    List<Multiaddr> plain = new ArrayList<>(addresses.size());
    List<byte[]> wire = new ArrayList<>(addresses.size());
    for (Multiaddr a : addresses) {
      Multiaddr m = a.withoutPeerId();
      plain.add(m);
      wire.add(m.bytes());
    }
    byte[] payload =
        PeerRecordCodec.encode(new PeerRecordCodec.Fields(identity.peerId().bytes(), seq, wire));
    SignedEnvelope envelope = SignedEnvelope.seal(identity, DOMAIN, PAYLOAD_TYPE, payload);
    return new PeerRecord(identity.peerId(), seq, plain, envelope);
  }

  /**
   * Opens a signed peer record received from anyone: checks size, the payload type (one of the two
   * above) and its domain, the signature, and that the record's peer id is the signer's. Addresses
   * this build cannot parse (transports meshlog lacks) are left out, a trailing {@code /p2p} of the
   * record's peer is dropped, and an address ending in another peer's id is left out.
   *
   * @throws InvalidRecordException naming the first check that failed
   */
  public static PeerRecord open(byte[] envelopeBytes) throws InvalidRecordException {
    byte[] type = SignedEnvelope.peekPayloadType(envelopeBytes);
    String domain;
    if (Arrays.equals(type, PAYLOAD_TYPE)) {
      domain = DOMAIN;
    } else if (Arrays.equals(type, RFC_PAYLOAD_TYPE)) {
      domain = RFC_DOMAIN;
    } else {
      throw new InvalidRecordException("envelope payload type is not a peer record");
    }
    SignedEnvelope envelope = SignedEnvelope.open(envelopeBytes, domain);
    PeerRecordCodec.Fields fields;
    PeerId claimed;
    try {
      fields = PeerRecordCodec.decode(envelope.payload());
      claimed = PeerId.fromBytes(fields.peerId());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(e.getMessage());
    }
    if (!claimed.equals(envelope.signer())) {
      throw new InvalidRecordException(
          "record names peer " + claimed + " but is signed by " + envelope.signer());
    }
    List<Multiaddr> addresses = new ArrayList<>(fields.addresses().size());
    for (byte[] a : fields.addresses()) {
      Multiaddr m;
      try {
        m = Multiaddr.fromBytes(a);
      } catch (RuntimeException e) {
        continue; // an address of a transport this build does not speak (/webrtc, /quic)
      }
      // js-libp2p signs its addresses with /p2p/<own id> (the RFC's example does too): dropped,
      // as addresses() promises. One ending in another peer's id is not an address of this peer.
      Optional<PeerId> named = m.peerId();
      if (named.isEmpty()) {
        addresses.add(m);
      } else if (named.get().equals(claimed)) {
        addresses.add(m.withoutPeerId());
      }
    }
    return new PeerRecord(claimed, fields.seq(), addresses, envelope);
  }

  /** The peer the record is about (and signed by). */
  public PeerId peerId() {
    return peerId;
  }

  /** The record's sequence number; a larger one supersedes. */
  public long seq() {
    return seq;
  }

  /** The listen addresses, without {@code /p2p/<id>}. */
  public List<Multiaddr> addresses() {
    return addresses;
  }

  /** The addresses with {@code /p2p/<id>} appended, ready to dial. */
  public List<Multiaddr> dialAddresses() {
    List<Multiaddr> out = new ArrayList<>(addresses.size());
    for (Multiaddr a : addresses) {
      out.add(a.withPeerId(peerId));
    }
    return out;
  }

  /** The envelope the record came in (or was sealed in). */
  public SignedEnvelope envelope() {
    return envelope;
  }

  /** The wire form: the signed envelope's bytes. */
  public byte[] bytes() {
    return envelope.bytes();
  }

  @Override
  public String toString() {
    return "PeerRecord[" + peerId + ", seq " + seq + ", " + addresses + "]";
  }
}
