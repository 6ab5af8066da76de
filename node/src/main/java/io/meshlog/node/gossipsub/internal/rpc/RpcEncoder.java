package io.meshlog.node.gossipsub.internal.rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encoder of the pubsub RPC protobuf (libp2p pubsub rpc.proto, with gossipsub v1.1 control and v1.2
 * IDONTWANT). It computes each RPC's exact size first and writes into one array of that size; a
 * size that does not match is a bug of ours, never a peer's doing. It also produces the bytes a
 * StrictSign signature covers, so that signing and verifying see the same encoding. Its counterpart
 * is {@link RpcDecoder}. Stateless and thread-safe.
 */
public final class RpcEncoder {

  /** Prefix of the bytes a pubsub message signature covers. */
  public static final byte[] SIGNING_PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private RpcEncoder() {}

  /** Encodes one RPC. */
  public static byte[] encode(Rpc rpc) {
    int size = 0;
    for (Rpc.SubOpts s : rpc.subscriptions()) {
      size += nested(1, subSize(s));
    }
    for (Rpc.PubMessage m : rpc.publish()) {
      size += nested(2, messageSize(m));
    }
    if (rpc.control() != null) {
      size += nested(3, controlSize(rpc.control()));
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (Rpc.SubOpts s : rpc.subscriptions()) {
        header(o, 1, subSize(s));
        o.writeBool(1, s.subscribe());
        o.writeString(2, s.topic());
      }
      for (Rpc.PubMessage m : rpc.publish()) {
        header(o, 2, messageSize(m));
        writeMessageFields(o, m);
      }
      if (rpc.control() != null) {
        header(o, 3, controlSize(rpc.control()));
        writeControl(o, rpc.control());
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("rpc size miscomputed", e); // a bug, not a peer's doing
    }
    return out;
  }

  /** The bytes a StrictSign signature covers: the prefix and the message without signature/key. */
  public static byte[] signingBytes(Rpc.PubMessage m) {
    Rpc.PubMessage u = m.unsigned();
    int size = messageSize(u);
    byte[] out = new byte[SIGNING_PREFIX.length + size];
    System.arraycopy(SIGNING_PREFIX, 0, out, 0, SIGNING_PREFIX.length);
    CodedOutputStream o = CodedOutputStream.newInstance(out, SIGNING_PREFIX.length, size);
    try {
      writeMessageFields(o, u);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("message size miscomputed", e);
    }
    return out;
  }

  /** Encoded size of a message inside an RPC's publish field, used for size accounting. */
  public static int encodedSize(Rpc.PubMessage m) {
    return nested(2, messageSize(m));
  }

  private static int nested(int field, int size) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }

  private static void header(CodedOutputStream o, int field, int size) throws IOException {
    o.writeTag(field, LEN);
    o.writeUInt32NoTag(size);
  }

  private static int subSize(Rpc.SubOpts s) {
    return CodedOutputStream.computeBoolSize(1, s.subscribe())
        + CodedOutputStream.computeStringSize(2, s.topic());
  }

  private static int bytesSize(int field, byte[] b) {
    return b == null ? 0 : CodedOutputStream.computeByteArraySize(field, b);
  }

  private static int messageSize(Rpc.PubMessage m) {
    return bytesSize(1, m.from())
        + bytesSize(2, m.data())
        + bytesSize(3, m.seqno())
        + CodedOutputStream.computeStringSize(4, m.topic())
        + bytesSize(5, m.signature())
        + bytesSize(6, m.key());
  }

  private static void writeBytes(CodedOutputStream o, int field, byte[] b) throws IOException {
    if (b != null) {
      o.writeByteArray(field, b);
    }
  }

  private static void writeMessageFields(CodedOutputStream o, Rpc.PubMessage m) throws IOException {
    writeBytes(o, 1, m.from());
    writeBytes(o, 2, m.data());
    writeBytes(o, 3, m.seqno());
    o.writeString(4, m.topic());
    writeBytes(o, 5, m.signature());
    writeBytes(o, 6, m.key());
  }

  private static int idsSize(int field, List<byte[]> ids) {
    int s = 0;
    for (byte[] id : ids) {
      s += CodedOutputStream.computeByteArraySize(field, id);
    }
    return s;
  }

  private static int ihaveSize(Rpc.IHave h) {
    return (h.topic() == null ? 0 : CodedOutputStream.computeStringSize(1, h.topic()))
        + idsSize(2, h.messageIds());
  }

  private static int peerInfoSize(Rpc.PeerInfo p) {
    return bytesSize(1, p.peerId()) + bytesSize(2, p.signedPeerRecord());
  }

  private static int pruneSize(Rpc.Prune p) {
    int s = CodedOutputStream.computeStringSize(1, p.topic());
    for (Rpc.PeerInfo pi : p.peers()) {
      s += nested(2, peerInfoSize(pi));
    }
    if (p.backoffSeconds() >= 0) {
      s += CodedOutputStream.computeUInt64Size(3, p.backoffSeconds());
    }
    return s;
  }

  private static int controlSize(Rpc.Control c) {
    int s = 0;
    for (Rpc.IHave h : c.ihave()) {
      s += nested(1, ihaveSize(h));
    }
    for (Rpc.IWant w : c.iwant()) {
      s += nested(2, idsSize(1, w.messageIds()));
    }
    for (Rpc.Graft g : c.graft()) {
      s += nested(3, CodedOutputStream.computeStringSize(1, g.topic()));
    }
    for (Rpc.Prune p : c.prune()) {
      s += nested(4, pruneSize(p));
    }
    for (Rpc.IDontWant d : c.idontwant()) {
      s += nested(5, idsSize(1, d.messageIds()));
    }
    return s;
  }

  private static void writeControl(CodedOutputStream o, Rpc.Control c) throws IOException {
    for (Rpc.IHave h : c.ihave()) {
      header(o, 1, ihaveSize(h));
      if (h.topic() != null) {
        o.writeString(1, h.topic());
      }
      for (byte[] id : h.messageIds()) {
        o.writeByteArray(2, id);
      }
    }
    for (Rpc.IWant w : c.iwant()) {
      header(o, 2, idsSize(1, w.messageIds()));
      for (byte[] id : w.messageIds()) {
        o.writeByteArray(1, id);
      }
    }
    for (Rpc.Graft g : c.graft()) {
      header(o, 3, CodedOutputStream.computeStringSize(1, g.topic()));
      o.writeString(1, g.topic());
    }
    for (Rpc.Prune p : c.prune()) {
      header(o, 4, pruneSize(p));
      o.writeString(1, p.topic());
      for (Rpc.PeerInfo pi : p.peers()) {
        header(o, 2, peerInfoSize(pi));
        writeBytes(o, 1, pi.peerId());
        writeBytes(o, 2, pi.signedPeerRecord());
      }
      if (p.backoffSeconds() >= 0) {
        o.writeUInt64(3, p.backoffSeconds());
      }
    }
    for (Rpc.IDontWant d : c.idontwant()) {
      header(o, 5, idsSize(1, d.messageIds()));
      for (byte[] id : d.messageIds()) {
        o.writeByteArray(1, id);
      }
    }
  }
}
