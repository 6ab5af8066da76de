package io.meshlog.node.p2p;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The libp2p crypto {@code PublicKey}/{@code PrivateKey} protobuf ({@code Type = 1} as a KeyType
 * enum, {@code Data = 2} as bytes), encoded and decoded by hand. Encoding is canonical (field
 * order, no extras) because a peer id is derived from these exact bytes.
 *
 * <p>Stateless and thread-safe.
 */
final class KeyProtobuf {

  static final int RSA = 0;
  static final int ED25519 = 1;
  static final int SECP256K1 = 2;
  static final int ECDSA = 3;

  /** Upper bound on an encoded key (RSA-8192 DER is about 1.1 KB); checked before allocating. */
  static final int MAX_KEY_BYTES = 4096;

  /** A decoded key message. */
  record Key(int type, byte[] data) {}

  private KeyProtobuf() {}

  static byte[] encode(int type, byte[] data) {
    int size =
        CodedOutputStream.computeEnumSize(1, type)
            + CodedOutputStream.computeByteArraySize(2, data);
    byte[] out = new byte[size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeEnum(1, type);
      cos.writeByteArray(2, data);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the array was sized for the message
    }
    return out;
  }

  /**
   * Decodes a key message, skipping unknown fields.
   *
   * @throws IllegalArgumentException if the bytes are not a key message, a field is missing, or the
   *     key is larger than {@link #MAX_KEY_BYTES}
   */
  static Key decode(byte[] bytes) {
    if (bytes.length > MAX_KEY_BYTES + 16) {
      throw new IllegalArgumentException("key message of " + bytes.length + " bytes is too large");
    }
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int type = -1;
    byte[] data = null;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (1 << 3 | WireFormat.WIRETYPE_VARINT)) {
          type = in.readEnum();
        } else if (tag == (2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          data = in.readByteArray();
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed key protobuf: " + e.getMessage(), e);
    }
    if (type < 0 || data == null) {
      throw new IllegalArgumentException(
          "key protobuf lacks its " + (type < 0 ? "Type" : "Data") + " field");
    }
    return new Key(type, data);
  }
}
