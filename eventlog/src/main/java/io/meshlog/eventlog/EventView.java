package io.meshlog.eventlog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read-only view of one journal record, read in place: the fast way to read a journal ({@link
 * JournalReader#next(EventView)}). {@link #wrap} parses the record's header and numbers and notes
 * where each byte field lies; byte fields are compared, hashed or copied from the record's bytes
 * only when asked, and strings are built only when asked for (the topic string is reused while the
 * topic stays the same). Wrapping allocates nothing.
 *
 * <p>The layout is the one {@link EventCodec} writes (docs/journal-format.md); {@link EventCodec}
 * decodes through this class, so the two never disagree. A view is valid until the next {@link
 * #wrap} or reader call that refills the bytes it looks at: consumers copy what they keep.
 *
 * <p>Byte fields are reached through {@link #buffer()} and an offset/length pair, e.g. {@link
 * #peerOffset()} and {@link #peerLength()} (length -1 when absent), or copied with {@link #peer()}.
 *
 * <p>Not thread-safe: owned by one thread.
 */
public final class EventView {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final RpcPart[] PARTS = RpcPart.values();

  private byte[] src;
  private int pos;
  private int limit;

  private EventType type;
  private int schemaVersion;
  private long timeNanos;
  private long sequence;
  private int peerOff;
  private int peerLen;
  private int topicOff;
  private int topicLen;
  private int idOff;
  private int idLen;
  private int originOff;
  private int originLen;
  private long originSeqno;
  private long lamport;
  private int size;
  private Direction direction;
  private long value;
  private int textOff;
  private int textLen;
  private int dataOff;
  private int dataLen;
  private Via via;
  private boolean hasRpcCounts;
  private final int[] rpcCounts = new int[RpcPart.COUNT];
  private int rpcIds;
  private int[] rpcIdOffs = new int[8];
  private int[] rpcIdLens = new int[8];
  private byte[] rpcIdParts = new byte[8];
  private long epoch;
  private long finalSeq;
  private long oldPosition;
  private long newPosition;

  private byte[] lastTopicBytes = new byte[0];
  private String lastTopic = "";

  /**
   * Points this view at the record {@code src[offset, offset + length)} and parses it.
   *
   * @return true when parsed; false when the record's type code is unknown (skip it)
   * @throws IllegalArgumentException when the record is truncated or malformed
   */
  public boolean wrap(byte[] src, int offset, int length) {
    if (length < 2 + 1 + 8 + 1) {
      throw new IllegalArgumentException("record too short: " + length + " bytes");
    }
    EventType t = EventType.ofCode(src[offset] & 0xFF);
    if (t == null) {
      return false;
    }
    int version = src[offset + 1] & 0xFF;
    if (version == 0) {
      throw new IllegalArgumentException("schema version 0 is not valid");
    }
    this.src = src;
    this.pos = offset + 2;
    this.limit = offset + length;
    type = t;
    schemaVersion = version;
    long bits = varLong();
    need(8);
    timeNanos = (long) LONG_LE.get(src, pos);
    pos += 8;
    sequence = varLong();
    if ((bits & EventCodec.PEER) != 0) {
      peerLen = length();
      peerOff = pos;
      pos += peerLen;
    } else {
      peerLen = -1;
    }
    if ((bits & EventCodec.TOPIC) != 0) {
      topicLen = length();
      topicOff = pos;
      pos += topicLen;
    } else {
      topicLen = -1;
    }
    if ((bits & EventCodec.MESSAGE_ID) != 0) {
      idLen = length();
      idOff = pos;
      pos += idLen;
    } else {
      idLen = -1;
    }
    if ((bits & EventCodec.ORIGIN) != 0) {
      originLen = length();
      originOff = pos;
      pos += originLen;
    } else {
      originLen = -1;
    }
    originSeqno = (bits & EventCodec.ORIGIN_SEQNO) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    lamport = (bits & EventCodec.LAMPORT) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    size = (bits & EventCodec.SIZE) != 0 ? (int) varLong() : -1;
    direction = (bits & EventCodec.DIRECTION) != 0 ? Direction.ofCode(u8()) : Direction.NONE;
    value = (bits & EventCodec.VALUE) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    if ((bits & EventCodec.TEXT) != 0) {
      textLen = length();
      textOff = pos;
      pos += textLen;
    } else {
      textLen = -1;
    }
    if ((bits & EventCodec.DATA) != 0) {
      dataLen = length();
      dataOff = pos;
      pos += dataLen;
    } else {
      dataLen = -1;
    }
    via = (bits & EventCodec.VIA) != 0 ? Via.ofCode(u8()) : Via.UNKNOWN;
    hasRpcCounts = false;
    rpcIds = 0;
    if ((bits & (EventCodec.RPC_COUNTS | EventCodec.RPC_IDS)) != 0) {
      rpcFields(bits);
    }
    epoch = (bits & EventCodec.EPOCH) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    finalSeq = (bits & EventCodec.FINAL_SEQ) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    oldPosition = (bits & EventCodec.OLD_POSITION) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    newPosition = (bits & EventCodec.NEW_POSITION) != 0 ? unzigzag(varLong()) : Event.ABSENT;
    // Fields with higher bits come from a newer schema: they follow, and are ignored here.
    return true;
  }

  private void rpcFields(long bits) {
    if ((bits & EventCodec.RPC_COUNTS) != 0) {
      // Read only while hasRpcCounts: parts the record does not list (an older writer's) are 0.
      hasRpcCounts = true;
      int n = length();
      for (int i = 0; i < n; i++) {
        long count = varLong();
        if (i < RpcPart.COUNT) {
          rpcCounts[i] = (int) Math.min(count, Integer.MAX_VALUE);
        }
      }
      for (int i = n; i < RpcPart.COUNT; i++) {
        rpcCounts[i] = 0;
      }
    }
    if ((bits & EventCodec.RPC_IDS) != 0) {
      int n = length(); // each id takes 2 bytes or more, so n is bounded by the record
      if (n > rpcIdOffs.length) {
        rpcIdOffs = new int[n];
        rpcIdLens = new int[n];
        rpcIdParts = new byte[n];
      }
      for (int i = 0; i < n; i++) {
        rpcIdParts[i] = (byte) u8();
        rpcIdLens[i] = length();
        rpcIdOffs[i] = pos;
        pos += rpcIdLens[i];
      }
      rpcIds = n;
    }
  }

  /** The bytes the view reads; byte fields are at their offsets in this array. */
  public byte[] buffer() {
    return src;
  }

  public EventType type() {
    return type;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  public long timeNanos() {
    return timeNanos;
  }

  public long sequence() {
    return sequence;
  }

  public int peerOffset() {
    return peerOff;
  }

  /** Length of the peer id, -1 when absent. */
  public int peerLength() {
    return peerLen;
  }

  /** A copy of the peer id, or null. */
  public byte[] peer() {
    return copy(peerOff, peerLen);
  }

  public int topicOffset() {
    return topicOff;
  }

  /** Length of the topic's UTF-8 bytes, -1 when absent. */
  public int topicLength() {
    return topicLen;
  }

  /** The topic, or null; the same String instance while consecutive records share the topic. */
  public String topic() {
    if (topicLen < 0) {
      return null;
    }
    if (topicLen == lastTopicBytes.length
        && Arrays.equals(src, topicOff, topicOff + topicLen, lastTopicBytes, 0, topicLen)) {
      return lastTopic;
    }
    lastTopicBytes = Arrays.copyOfRange(src, topicOff, topicOff + topicLen);
    lastTopic = new String(lastTopicBytes, StandardCharsets.UTF_8);
    return lastTopic;
  }

  public int messageIdOffset() {
    return idOff;
  }

  /** Length of the message id, -1 when absent. */
  public int messageIdLength() {
    return idLen;
  }

  /** A copy of the message id, or null. */
  public byte[] messageId() {
    return copy(idOff, idLen);
  }

  public int originOffset() {
    return originOff;
  }

  /** Length of the origin peer id, -1 when absent. */
  public int originLength() {
    return originLen;
  }

  /** A copy of the origin peer id, or null. */
  public byte[] origin() {
    return copy(originOff, originLen);
  }

  /** See {@link Event#originSeqno()}; {@link Event#ABSENT} when absent. */
  public long originSeqno() {
    return originSeqno;
  }

  public long lamport() {
    return lamport;
  }

  /** A size in bytes, or -1. */
  public int size() {
    return size;
  }

  public Direction direction() {
    return direction;
  }

  public long value() {
    return value;
  }

  public int textOffset() {
    return textOff;
  }

  /** Length of the text's UTF-8 bytes, -1 when absent. */
  public int textLength() {
    return textLen;
  }

  /** The text, built on each call, or null. */
  public String text() {
    return textLen < 0 ? null : new String(src, textOff, textLen, StandardCharsets.UTF_8);
  }

  public int dataOffset() {
    return dataOff;
  }

  /** Length of the message bytes, -1 when absent. */
  public int dataLength() {
    return dataLen;
  }

  /** A copy of the message bytes, or null. */
  public byte[] data() {
    return copy(dataOff, dataLen);
  }

  /** See {@link Event#via()}. */
  public Via via() {
    return via;
  }

  /** See {@link Event#epoch()}; {@link Event#ABSENT} when absent (always before version 3). */
  public long epoch() {
    return epoch;
  }

  /** See {@link Event#finalSeq()}; {@link Event#ABSENT} when absent. */
  public long finalSeq() {
    return finalSeq;
  }

  /** See {@link Event#oldPosition()}; {@link Event#ABSENT} when absent. */
  public long oldPosition() {
    return oldPosition;
  }

  /** See {@link Event#newPosition()}; {@link Event#ABSENT} when absent. */
  public long newPosition() {
    return newPosition;
  }

  /** See {@link Event#hasRpcCounts()}. */
  public boolean hasRpcCounts() {
    return hasRpcCounts;
  }

  public int rpcCount(RpcPart part) {
    return hasRpcCounts ? rpcCounts[part.code()] : 0;
  }

  /** How many message ids the record lists. */
  public int rpcIdCount() {
    return rpcIds;
  }

  /** The part of the {@code i}-th listed id; null for a part this version does not know. */
  public RpcPart rpcIdPart(int i) {
    checkRpcId(i);
    return RpcPart.ofCode(rpcIdParts[i]);
  }

  public int rpcIdOffset(int i) {
    checkRpcId(i);
    return rpcIdOffs[i];
  }

  public int rpcIdLength(int i) {
    checkRpcId(i);
    return rpcIdLens[i];
  }

  /** True when a byte field at {@code offset}/{@code length} holds exactly {@code bytes}. */
  public boolean bytesEqual(int offset, int length, byte[] bytes) {
    return length == bytes.length && Arrays.equals(src, offset, offset + length, bytes, 0, length);
  }

  /**
   * A 64-bit hash of {@code length} bytes at {@code offset} in {@link #buffer()}, read eight at a
   * time: for hash tables and checksums over fields without copying them.
   */
  public long hash(int offset, int length) {
    return hash(src, offset, length);
  }

  /**
   * The same hash over {@code src[offset, offset + length)}; 0 for a negative length (an absent
   * field), so a field read in place and its copied array hash alike.
   */
  public static long hash(byte[] src, int offset, int length) {
    if (length < 0) {
      return 0;
    }
    long h = 0x9E3779B97F4A7C15L ^ length;
    int end = offset + length;
    int p = offset;
    if (length >= 8) {
      for (; p + 8 <= end; p += 8) {
        h = (h + (long) LONG_LE.get(src, p)) * 0xBF58476D1CE4E5B9L;
      }
      if (p < end) { // the last word again, overlapping: no byte loop for the tail
        h = (h + (long) LONG_LE.get(src, end - 8)) * 0xBF58476D1CE4E5B9L;
      }
    } else {
      long tail = 0;
      for (int shift = 0; p < end; p++, shift += 8) {
        tail |= (src[p] & 0xFFL) << shift;
      }
      h = (h + tail) * 0xBF58476D1CE4E5B9L;
    }
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return h ^ (h >>> 29);
  }

  /**
   * Fills {@code into} with this record's fields, as {@link EventCodec#decode} does: arrays already
   * in {@code into} are overwritten in place when their length matches.
   */
  public Event toEvent(Event into) {
    into.type(type).schemaVersion(schemaVersion).timeNanos(timeNanos).sequence(sequence);
    into.peer(copyInto(into.peer(), peerOff, peerLen));
    into.topic(topic());
    into.messageId(copyInto(into.messageId(), idOff, idLen));
    into.origin(copyInto(into.origin(), originOff, originLen));
    into.originSeqno(originSeqno).lamport(lamport).size(size).direction(direction).value(value);
    into.text(text());
    into.data(copyInto(into.data(), dataOff, dataLen));
    into.via(via);
    into.epoch(epoch).finalSeq(finalSeq).oldPosition(oldPosition).newPosition(newPosition);
    into.clearRpc();
    if (hasRpcCounts) {
      for (RpcPart part : PARTS) {
        into.rpcCount(part, rpcCounts[part.code()]);
      }
    }
    for (int i = 0; i < rpcIds; i++) {
      into.appendRpcId(rpcIdParts[i], src, rpcIdOffs[i], rpcIdLens[i]);
    }
    return into;
  }

  @Override
  public String toString() {
    return type == null ? "(no record)" : toEvent(new Event()).toString();
  }

  private byte[] copy(int offset, int length) {
    return length < 0 ? null : Arrays.copyOfRange(src, offset, offset + length);
  }

  private byte[] copyInto(byte[] reuse, int offset, int length) {
    if (length < 0) {
      return null;
    }
    byte[] out = reuse != null && reuse.length == length ? reuse : new byte[length];
    System.arraycopy(src, offset, out, 0, length);
    return out;
  }

  private void checkRpcId(int i) {
    if (i < 0 || i >= rpcIds) {
      throw new IndexOutOfBoundsException("rpc id " + i + " of " + rpcIds);
    }
  }

  private int u8() {
    need(1);
    return src[pos++] & 0xFF;
  }

  private long varLong() {
    if (pos < limit && src[pos] >= 0) {
      return src[pos++]; // one-byte varint: the common case for lengths and small numbers
    }
    return varLongSlow(); // kept apart so that the common case inlines
  }

  private long varLongSlow() {
    if (limit - pos >= 10) {
      // Unrolled without bounds checks: ten bytes are there, the longest a varint can be.
      byte[] b = src;
      int p = pos;
      long v = b[p] & 0x7F;
      byte x = b[p + 1];
      v |= (x & 0x7FL) << 7;
      if (x >= 0) {
        pos = p + 2;
        return v;
      }
      x = b[p + 2];
      v |= (x & 0x7FL) << 14;
      if (x >= 0) {
        pos = p + 3;
        return v;
      }
      x = b[p + 3];
      v |= (x & 0x7FL) << 21;
      if (x >= 0) {
        pos = p + 4;
        return v;
      }
      p += 4;
      for (int shift = 28; shift < 64; shift += 7) {
        x = b[p++];
        v |= (x & 0x7FL) << shift;
        if (x >= 0) {
          pos = p;
          return v;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes at offset " + pos);
    }
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = src[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at offset " + pos);
  }

  private int length() {
    long len = varLong();
    if (len < 0 || len > limit - pos) {
      throw new IllegalArgumentException(
          "field length " + len + " exceeds the record (" + (limit - pos) + " bytes left)");
    }
    return (int) len;
  }

  private void need(int n) {
    if (limit - pos < n) {
      throw new IllegalArgumentException("record truncated at offset " + pos);
    }
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }
}
