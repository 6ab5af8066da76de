package io.meshlog.node.p2p.internal.record;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Envelope} protobuf of the signed envelope RFC: {@code public_key = 1} (a libp2p
 * PublicKey message), {@code payload_type = 2}, {@code payload = 3}, {@code signature = 5}; and the
 * buffer a signature covers. Decoding checks every length against the input (protobuf-java reads
 * length-delimited fields only from the bytes present), rejects wrong wire types, skips unknown
 * fields.
 *
 * <p>Stateless and thread-safe.
 */
public final class EnvelopeCodec {

  /** The decoded fields; arrays are fresh copies. */
  public record Fields(byte[] publicKey, byte[] payloadType, byte[] payload, byte[] signature) {}

  private static final int PUBLIC_KEY = 1;
  private static final int PAYLOAD_TYPE = 2;
  private static final int PAYLOAD = 3;
  private static final int SIGNATURE = 5;

  private EnvelopeCodec() {}

  public static byte[] encode(Fields f) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + f.payload().length);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeByteArray(PUBLIC_KEY, f.publicKey());
      out.writeByteArray(PAYLOAD_TYPE, f.payloadType());
      out.writeByteArray(PAYLOAD, f.payload());
      out.writeByteArray(SIGNATURE, f.signature());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  /**
   * Decodes an envelope without checking its signature.
   *
   * @throws IllegalArgumentException with the reason when the bytes are not an envelope
   */
  public static Fields decode(byte[] bytes) {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    byte[] publicKey = null;
    byte[] payloadType = null;
    byte[] payload = null;
    byte[] signature = null;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        boolean known =
            field == PUBLIC_KEY || field == PAYLOAD_TYPE || field == PAYLOAD || field == SIGNATURE;
        if (known && !delimited) {
          throw new IllegalArgumentException("envelope field " + field + " has the wrong type");
        }
        switch (field) {
          case PUBLIC_KEY -> publicKey = in.readByteArray();
          case PAYLOAD_TYPE -> payloadType = in.readByteArray();
          case PAYLOAD -> payload = in.readByteArray();
          case SIGNATURE -> signature = in.readByteArray();
          default -> {
            if (!in.skipField(tag)) {
              throw new IllegalArgumentException("bad envelope field " + field);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed envelope: " + e.getMessage(), e);
    }
    if (publicKey == null || payloadType == null || payload == null || signature == null) {
      throw new IllegalArgumentException(
          "envelope lacks its "
              + (publicKey == null
                  ? "public_key"
                  : payloadType == null
                      ? "payload_type"
                      : payload == null ? "payload" : "signature")
              + " field");
    }
    return new Fields(publicKey, payloadType, payload, signature);
  }

  /**
   * The bytes a signature covers: uvarint length and UTF-8 bytes of the domain, uvarint length and
   * bytes of the payload type, uvarint length and bytes of the payload.
   */
  public static byte[] signedBuffer(String domain, byte[] payloadType, byte[] payload) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    try {
      ByteArrayOutputStream bytes =
          new ByteArrayOutputStream(d.length + payloadType.length + payload.length + 15);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeUInt32NoTag(d.length);
      out.writeRawBytes(d);
      out.writeUInt32NoTag(payloadType.length);
      out.writeRawBytes(payloadType);
      out.writeUInt32NoTag(payload.length);
      out.writeRawBytes(payload);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }
}
