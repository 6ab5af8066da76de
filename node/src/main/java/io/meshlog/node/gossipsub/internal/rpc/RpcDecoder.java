package io.meshlog.node.gossipsub.internal.rpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of the pubsub RPC protobuf (libp2p pubsub rpc.proto, with gossipsub v1.1 control and v1.2
 * IDONTWANT), hand-written because its input is hostile: the total size is checked before anything
 * is read, every length is checked against what is left before allocating, every repeated field is
 * bounded by {@link RpcLimits}, unknown fields are skipped. Its counterpart is {@link RpcEncoder};
 * the two share no state. Stateless and thread-safe.
 */
public final class RpcDecoder {

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;

  private RpcDecoder() {}

  /**
   * Decodes one RPC.
   *
   * @throws RpcDecodeException with the reason when the bytes are oversized, truncated, malformed
   *     or exceed a limit
   */
  public static Rpc decode(byte[] bytes, RpcLimits limits) throws RpcDecodeException {
    if (bytes.length > limits.maxRpcSize()) {
      throw new RpcDecodeException(
          "rpc of " + bytes.length + " bytes exceeds maxRpcSize " + limits.maxRpcSize());
    }
    Budget budget = new Budget();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Rpc.SubOpts> subs = new ArrayList<>(0);
    List<Rpc.PubMessage> msgs = new ArrayList<>(0);
    Rpc.Control control = null;
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1:
            expect(tag, LEN, "subscriptions");
            if (subs.size() >= limits.maxSubscriptions()) {
              throw new RpcDecodeException(
                  "more than " + limits.maxSubscriptions() + " subscriptions");
            }
            subs.add(readSubOpts(in, limits));
            break;
          case 2:
            expect(tag, LEN, "publish");
            if (msgs.size() >= limits.maxMessages()) {
              throw new RpcDecodeException("more than " + limits.maxMessages() + " messages");
            }
            msgs.add(readMessage(in, limits));
            break;
          case 3:
            expect(tag, LEN, "control");
            if (control != null) {
              throw new RpcDecodeException("control repeated");
            }
            control = readControl(in, limits, budget);
            break;
          default:
            skip(in, tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new RpcDecodeException("malformed protobuf: " + e.getMessage());
    } catch (IOException e) {
      throw new RpcDecodeException("unreadable: " + e.getMessage());
    }
    return new Rpc(List.copyOf(subs), List.copyOf(msgs), control);
  }

  /** Counts ids and control entries over the whole RPC. */
  private static final class Budget {
    int ids;
    int entries;

    void entry(RpcLimits l) throws RpcDecodeException {
      if (++entries > l.maxControlEntries()) {
        throw new RpcDecodeException("more than " + l.maxControlEntries() + " control entries");
      }
    }

    void id(RpcLimits l) throws RpcDecodeException {
      if (++ids > l.maxIds()) {
        throw new RpcDecodeException("more than " + l.maxIds() + " message ids");
      }
    }
  }

  private static Rpc.SubOpts readSubOpts(CodedInputStream in, RpcLimits l)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    boolean subscribe = false;
    String topic = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1:
          expect(tag, VARINT, "subscribe");
          subscribe = in.readBool();
          break;
        case 2:
          expect(tag, LEN, "topic");
          topic = readString(in, l.maxTopicLength(), "topic");
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    if (topic == null) {
      throw new RpcDecodeException("subscription without topic");
    }
    return new Rpc.SubOpts(subscribe, topic);
  }

  private static Rpc.PubMessage readMessage(CodedInputStream in, RpcLimits l)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    byte[] from = null;
    byte[] data = null;
    byte[] seqno = null;
    String topic = null;
    byte[] signature = null;
    byte[] key = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field >= 1 && field <= 6) {
        expect(tag, LEN, "message field " + field);
      }
      switch (field) {
        case 1:
          from = readBytes(in, l.maxPeerIdLength(), "from");
          break;
        case 2:
          data = readBytes(in, l.maxMessageSize(), "data");
          break;
        case 3:
          seqno = readBytes(in, 64, "seqno");
          break;
        case 4:
          if (topic != null) {
            throw new RpcDecodeException("message with more than one topic");
          }
          topic = readString(in, l.maxTopicLength(), "topic");
          break;
        case 5:
          signature = readBytes(in, 1024, "signature");
          break;
        case 6:
          key = readBytes(in, 1024, "key");
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    if (topic == null) {
      throw new RpcDecodeException("message without topic");
    }
    return new Rpc.PubMessage(from, data, seqno, topic, signature, key);
  }

  private static Rpc.Control readControl(CodedInputStream in, RpcLimits l, Budget b)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    List<Rpc.IHave> ihave = new ArrayList<>(0);
    List<Rpc.IWant> iwant = new ArrayList<>(0);
    List<Rpc.Graft> graft = new ArrayList<>(0);
    List<Rpc.Prune> prune = new ArrayList<>(0);
    List<Rpc.IDontWant> idontwant = new ArrayList<>(0);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field >= 1 && field <= 5) {
        expect(tag, LEN, "control field " + field);
        b.entry(l);
      }
      switch (field) {
        case 1:
          ihave.add(readIHave(in, l, b));
          break;
        case 2:
          iwant.add(new Rpc.IWant(readIdList(in, l, b, 1)));
          break;
        case 3:
          graft.add(new Rpc.Graft(readTopicOnly(in, l)));
          break;
        case 4:
          prune.add(readPrune(in, l));
          break;
        case 5:
          idontwant.add(new Rpc.IDontWant(readIdList(in, l, b, 1)));
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    return new Rpc.Control(
        List.copyOf(ihave),
        List.copyOf(iwant),
        List.copyOf(graft),
        List.copyOf(prune),
        List.copyOf(idontwant));
  }

  private static Rpc.IHave readIHave(CodedInputStream in, RpcLimits l, Budget b)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    String topic = null;
    List<byte[]> ids = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1:
          expect(tag, LEN, "ihave topic");
          topic = readString(in, l.maxTopicLength(), "topic");
          break;
        case 2:
          expect(tag, LEN, "ihave id");
          b.id(l);
          ids.add(readBytes(in, l.maxIdLength(), "message id"));
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    return new Rpc.IHave(topic, List.copyOf(ids));
  }

  private static List<byte[]> readIdList(CodedInputStream in, RpcLimits l, Budget b, int field)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    List<byte[]> ids = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == field) {
        expect(tag, LEN, "message id");
        b.id(l);
        ids.add(readBytes(in, l.maxIdLength(), "message id"));
      } else {
        skip(in, tag);
      }
    }
    in.popLimit(old);
    return List.copyOf(ids);
  }

  private static String readTopicOnly(CodedInputStream in, RpcLimits l)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    String topic = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        expect(tag, LEN, "topic");
        topic = readString(in, l.maxTopicLength(), "topic");
      } else {
        skip(in, tag);
      }
    }
    in.popLimit(old);
    if (topic == null) {
      throw new RpcDecodeException("control entry without topic");
    }
    return topic;
  }

  private static Rpc.Prune readPrune(CodedInputStream in, RpcLimits l)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    String topic = null;
    List<Rpc.PeerInfo> peers = new ArrayList<>(0);
    long backoff = -1;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1:
          expect(tag, LEN, "prune topic");
          topic = readString(in, l.maxTopicLength(), "topic");
          break;
        case 2:
          expect(tag, LEN, "prune peer");
          if (peers.size() >= l.maxPeersPerPrune()) {
            throw new RpcDecodeException("more than " + l.maxPeersPerPrune() + " PX peers");
          }
          peers.add(readPeerInfo(in, l));
          break;
        case 3:
          expect(tag, VARINT, "prune backoff");
          backoff = in.readUInt64();
          if (backoff < 0) {
            backoff = Long.MAX_VALUE; // an unsigned value beyond 2^63 s: as good as forever
          }
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    if (topic == null) {
      throw new RpcDecodeException("control entry without topic");
    }
    return new Rpc.Prune(topic, List.copyOf(peers), backoff);
  }

  private static Rpc.PeerInfo readPeerInfo(CodedInputStream in, RpcLimits l)
      throws IOException, RpcDecodeException {
    int old = enter(in);
    byte[] peerId = null;
    byte[] record = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1:
          expect(tag, LEN, "peer id");
          peerId = readBytes(in, l.maxPeerIdLength(), "peer id");
          break;
        case 2:
          expect(tag, LEN, "signed peer record");
          record = readBytes(in, 4096, "signed peer record");
          break;
        default:
          skip(in, tag);
      }
    }
    in.popLimit(old);
    return new Rpc.PeerInfo(peerId, record);
  }

  /** Reads a length and pushes it as the limit; returns the previous limit. */
  private static int enter(CodedInputStream in) throws IOException, RpcDecodeException {
    int len = in.readRawVarint32();
    if (len < 0 || len > in.getBytesUntilLimit()) {
      throw new RpcDecodeException("truncated: length " + len + " beyond the enclosing message");
    }
    return in.pushLimit(len);
  }

  private static byte[] readBytes(CodedInputStream in, int max, String what)
      throws IOException, RpcDecodeException {
    int len = in.readRawVarint32();
    if (len < 0 || len > in.getBytesUntilLimit()) {
      throw new RpcDecodeException("truncated: " + what + " of " + len + " bytes");
    }
    if (len > max) {
      throw new RpcDecodeException(what + " of " + len + " bytes exceeds " + max);
    }
    return in.readRawBytes(len);
  }

  private static String readString(CodedInputStream in, int max, String what)
      throws IOException, RpcDecodeException {
    byte[] b = readBytes(in, max, what);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new RpcDecodeException(what + " is not UTF-8");
    }
  }

  private static void expect(int tag, int wireType, String what) throws RpcDecodeException {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new RpcDecodeException(
          "wrong wire type " + WireFormat.getTagWireType(tag) + " for " + what);
    }
  }

  private static void skip(CodedInputStream in, int tag) throws IOException, RpcDecodeException {
    int type = WireFormat.getTagWireType(tag);
    if (WireFormat.getTagFieldNumber(tag) == 0
        || type == WireFormat.WIRETYPE_START_GROUP
        || type == WireFormat.WIRETYPE_END_GROUP
        || type > WireFormat.WIRETYPE_FIXED32) {
      // Groups are not used by rpc.proto; refusing them avoids nested skipping a peer controls.
      throw new RpcDecodeException("unsupported tag " + tag);
    }
    if (type == LEN) {
      int len = in.readRawVarint32();
      if (len < 0 || len > in.getBytesUntilLimit()) {
        throw new RpcDecodeException("truncated: unknown field of " + len + " bytes");
      }
      in.skipRawBytes(len);
    } else {
      in.skipField(tag);
    }
  }
}
