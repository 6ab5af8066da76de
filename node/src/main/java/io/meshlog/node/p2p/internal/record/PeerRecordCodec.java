package io.meshlog.node.p2p.internal.record;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code PeerRecord} protobuf of the routing records RFC: {@code peer_id = 1} (binary peer id),
 * {@code seq = 2} (uint64), {@code addresses = 3} (repeated {@code AddressInfo { bytes multiaddr =
 * 1 }}). Addresses are capped at {@link #MAX_ADDRESSES}; unknown fields are skipped.
 *
 * <p>Stateless and thread-safe.
 */
public final class PeerRecordCodec {

  /** More addresses than this in one record are refused (js-libp2p nodes send a handful). */
  public static final int MAX_ADDRESSES = 64;

  /** The decoded fields: binary peer id, sequence number, binary multiaddrs. */
  public record Fields(byte[] peerId, long seq, List<byte[]> addresses) {}

  private static final int PEER_ID = 1;
  private static final int SEQ = 2;
  private static final int ADDRESSES = 3;
  private static final int MULTIADDR = 1;

  private PeerRecordCodec() {}

  public static byte[] encode(Fields f) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * f.addresses().size());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeByteArray(PEER_ID, f.peerId());
      out.writeUInt64(SEQ, f.seq());
      for (byte[] addr : f.addresses()) {
        out.writeTag(ADDRESSES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(CodedOutputStream.computeByteArraySize(MULTIADDR, addr));
        out.writeByteArray(MULTIADDR, addr);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  /**
   * Decodes a peer record.
   *
   * @throws IllegalArgumentException with the reason when the bytes are not a peer record
   */
  public static Fields decode(byte[] bytes) {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    byte[] peerId = null;
    long seq = 0;
    List<byte[]> addresses = new ArrayList<>();
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case PEER_ID << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> peerId = in.readByteArray();
          case SEQ << 3 | WireFormat.WIRETYPE_VARINT -> seq = in.readUInt64();
          case ADDRESSES << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
            if (addresses.size() >= MAX_ADDRESSES) {
              throw new IllegalArgumentException(
                  "peer record has more than " + MAX_ADDRESSES + " addresses");
            }
            addresses.add(addressInfo(in.readByteArray()));
          }
          default -> {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == PEER_ID || field == SEQ || field == ADDRESSES) {
              throw new IllegalArgumentException(
                  "peer record field " + field + " has the wrong type");
            }
            if (!in.skipField(tag)) {
              throw new IllegalArgumentException("bad peer record field " + field);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed peer record: " + e.getMessage(), e);
    }
    if (peerId == null) {
      throw new IllegalArgumentException("peer record lacks its peer_id field");
    }
    return new Fields(peerId, seq, addresses);
  }

  private static byte[] addressInfo(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    byte[] addr = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (MULTIADDR << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        addr = in.readByteArray();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    if (addr == null) {
      throw new IllegalArgumentException("peer record address lacks its multiaddr");
    }
    return addr;
  }
}
