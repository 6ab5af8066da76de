package io.meshlog.node.p2p.internal.noise;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The libp2p {@code NoiseHandshakePayload} protobuf carried in handshake messages 2 and 3:
 *
 * <pre>
 *   identity_key = 1  bytes   libp2p PublicKey protobuf
 *   identity_sig = 2  bytes   signature over "noise-libp2p-static-key:" + Noise static key
 *   extensions   = 4  NoiseExtensions { webtransport_certhashes = 1 (repeated bytes),
 *                                       stream_muxers = 2 (repeated string) }
 * </pre>
 *
 * Unknown fields are skipped (field 3, the retired early data, among them). Decoding bounds each
 * list so a peer cannot make it grow without limit; the message as a whole is already bounded by
 * the Noise frame size.
 */
record HandshakePayload(
    byte[] identityKey, byte[] identitySig, List<String> streamMuxers, List<byte[]> certhashes) {

  private static final int MAX_LIST_ENTRIES = 64;
  private static final int TAG_KEY = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_SIG = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_EXTENSIONS = 4 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_CERTHASH = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_MUXER = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeByteArray(1, identityKey);
      out.writeByteArray(2, identitySig);
      if (!streamMuxers.isEmpty() || !certhashes.isEmpty()) {
        ByteArrayOutputStream extBytes = new ByteArrayOutputStream();
        CodedOutputStream ext = CodedOutputStream.newInstance(extBytes);
        for (byte[] hash : certhashes) {
          ext.writeByteArray(1, hash);
        }
        for (String muxer : streamMuxers) {
          ext.writeString(2, muxer);
        }
        ext.flush();
        out.writeByteArray(4, extBytes.toByteArray());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
  }

  /**
   * Decodes a payload.
   *
   * @throws NoiseException ({@code MALFORMED_HANDSHAKE}) if it is not a payload protobuf or lacks
   *     the identity key or signature
   */
  static HandshakePayload decode(byte[] bytes) throws NoiseException {
    byte[] key = null;
    byte[] sig = null;
    List<String> muxers = new ArrayList<>();
    List<byte[]> hashes = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == TAG_KEY) {
          key = in.readByteArray();
        } else if (tag == TAG_SIG) {
          sig = in.readByteArray();
        } else if (tag == TAG_EXTENSIONS) {
          decodeExtensions(in.readByteArray(), muxers, hashes);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE, "bad handshake payload: " + e.getMessage(), e);
    }
    if (key == null || sig == null) {
      throw new NoiseException(
          NoiseException.Reason.MALFORMED_HANDSHAKE,
          "handshake payload lacks " + (key == null ? "identity_key" : "identity_sig"));
    }
    return new HandshakePayload(key, sig, List.copyOf(muxers), List.copyOf(hashes));
  }

  private static void decodeExtensions(byte[] bytes, List<String> muxers, List<byte[]> hashes)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (muxers.size() + hashes.size() >= MAX_LIST_ENTRIES) {
        throw new IOException("more than " + MAX_LIST_ENTRIES + " extension entries");
      }
      if (tag == TAG_MUXER) {
        muxers.add(in.readStringRequireUtf8());
      } else if (tag == TAG_CERTHASH) {
        hashes.add(in.readByteArray());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
  }
}
