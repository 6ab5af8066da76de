package io.meshlog.node.p2p;

import io.meshlog.node.p2p.internal.record.EnvelopeCodec;
import java.util.Arrays;

/**
 * A signed envelope (libp2p RFC 0002): a payload, its type, the signer's public key and a signature
 * over a domain string, the type and the payload. The domain keeps a signature made for one purpose
 * from being accepted for another.
 *
 * <pre>
 *   seal:  identity.sign(uvarint|domain| uvarint|payloadType| uvarint|payload) ─► Envelope protobuf
 *   open:  decode ─► size checks ─► verify signature under public_key with the expected domain
 * </pre>
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class SignedEnvelope {

  /** Envelopes larger than this are refused before decoding. */
  public static final int MAX_BYTES = 16 * 1024;

  private final byte[] publicKeyProtobuf;
  private final byte[] payloadType;
  private final byte[] payload;
  private final byte[] signature;
  private final byte[] bytes;
  private final PeerId signer;

  private SignedEnvelope(EnvelopeCodec.Fields fields, byte[] bytes, PeerId signer) {
    this.publicKeyProtobuf = fields.publicKey();
    this.payloadType = fields.payloadType();
    this.payload = fields.payload();
    this.signature = fields.signature();
    this.bytes = bytes;
    this.signer = signer;
  }

  /** Signs {@code payload} of {@code payloadType} for {@code domain} with {@code identity}. */
  public static SignedEnvelope seal(
      Identity identity, String domain, byte[] payloadType, byte[] payload) {
    byte[] type = payloadType.clone();
    byte[] body = payload.clone();
    byte[] signature = identity.sign(EnvelopeCodec.signedBuffer(domain, type, body));
    EnvelopeCodec.Fields fields =
        new EnvelopeCodec.Fields(identity.publicKeyProtobuf(), type, body, signature);
    return new SignedEnvelope(fields, EnvelopeCodec.encode(fields), identity.peerId());
  }

  /**
   * Decodes {@code bytes} and verifies the signature for {@code domain}.
   *
   * @throws InvalidRecordException when the bytes are too large or malformed, the public key is
   *     unreadable, or the signature does not verify for this domain
   */
  public static SignedEnvelope open(byte[] bytes, String domain) throws InvalidRecordException {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidRecordException(
          "envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    EnvelopeCodec.Fields fields;
    PeerId signer;
    try {
      fields = EnvelopeCodec.decode(bytes);
      signer = PeerId.fromPublicKeyProtobuf(fields.publicKey());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(e.getMessage());
    }
    byte[] signed = EnvelopeCodec.signedBuffer(domain, fields.payloadType(), fields.payload());
    if (!PeerId.verify(fields.publicKey(), signed, fields.signature())) {
      throw new InvalidRecordException("envelope signature does not verify");
    }
    return new SignedEnvelope(fields, bytes.clone(), signer);
  }

  /**
   * The payload type of an envelope without verifying it, so a reader can pick the domain to open
   * it with.
   *
   * @throws InvalidRecordException when the bytes are not an envelope
   */
  public static byte[] peekPayloadType(byte[] bytes) throws InvalidRecordException {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidRecordException(
          "envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    try {
      return EnvelopeCodec.decode(bytes).payloadType();
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(e.getMessage());
    }
  }

  /** The peer whose key signed this envelope (derived from the enclosed public key). */
  public PeerId signer() {
    return signer;
  }

  public byte[] payloadType() {
    return payloadType.clone();
  }

  public byte[] payload() {
    return payload.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The signer's libp2p {@code PublicKey} protobuf. */
  public byte[] publicKeyProtobuf() {
    return publicKeyProtobuf.clone();
  }

  /** The wire form (the {@code Envelope} protobuf). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedEnvelope other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SignedEnvelope[" + signer + ", " + payload.length + " bytes]";
  }
}
