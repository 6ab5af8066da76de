package io.meshlog.eventlog;

/**
 * The journal's binary record format (see {@code docs/journal-format.md}): one {@link Event} per
 * record, compact, versioned, and readable by older and newer meshlog versions.
 *
 * <pre>
 *   u8 type code | u8 schema version | varint presence bits | i64 time ns (LE) | varint sequence
 *   | present optional fields, in presence-bit order (byte fields as varint length + bytes)
 *   | version 2: u8 via | RPC counts (varint n, n varints) | RPC ids (varint n, n x (u8 part,
 *     varint length, bytes))
 *   | version 3: epoch, finalSeq, oldPosition, newPosition (each a zigzag varint)
 * </pre>
 *
 * <p>Encoding writes into a buffer this codec owns and reuses: no allocation per event once the
 * buffer has grown to the largest record seen. Decoding fills a caller's reused {@link Event}: an
 * array already in that event is overwritten in place when its length matches, and the last topic
 * string is reused while the topic bytes stay the same, so steady-state decoding allocates nothing.
 *
 * <p>A record of an unknown type code decodes to {@code false} (the reader skips it). A record of a
 * known type written with a higher schema version decodes the fields this version knows: newer
 * writers add fields only with new, higher presence bits, encoded after all older fields.
 *
 * <p>Not thread-safe: one codec per thread.
 */
public final class EventCodec {

  /** The schema version this codec writes. Bump it when a field is added; never reuse a bit. */
  public static final int SCHEMA_VERSION = 3;

  /**
   * Bytes before the optional fields at most: type, version, bits (<= 3: 18 bits), time, sequence.
   */
  static final int MAX_HEADER_BYTES = 1 + 1 + 3 + 8 + 10;

  // Presence bits: on-disk values, never reused.
  static final int PEER = 1;
  static final int TOPIC = 1 << 1;
  static final int MESSAGE_ID = 1 << 2;
  static final int ORIGIN = 1 << 3;
  static final int ORIGIN_SEQNO = 1 << 4;
  static final int LAMPORT = 1 << 5;
  static final int SIZE = 1 << 6;
  static final int DIRECTION = 1 << 7;
  static final int VALUE = 1 << 8;
  static final int TEXT = 1 << 9;
  static final int DATA = 1 << 10;
  // Schema version 2.
  static final int VIA = 1 << 11;
  static final int RPC_COUNTS = 1 << 12;
  static final int RPC_IDS = 1 << 13;
  // Schema version 3.
  static final int EPOCH = 1 << 14;
  static final int FINAL_SEQ = 1 << 15;
  static final int OLD_POSITION = 1 << 16;
  static final int NEW_POSITION = 1 << 17;

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private byte[] buffer;
  private int pos;

  /** A codec with a 512-byte encode buffer that grows on demand. */
  public EventCodec() {
    this(512);
  }

  public EventCodec(int initialBufferBytes) {
    buffer = new byte[Math.max(64, initialBufferBytes)];
  }

  /**
   * Encodes {@code event} into this codec's buffer; read it with {@link #buffer()}.
   *
   * @return the record's length in bytes, from offset 0 of {@link #buffer()}
   * @throws IllegalArgumentException when the event has no type
   */
  public int encode(Event event) {
    EventType type = event.type();
    if (type == null) {
      throw new IllegalArgumentException("event without a type");
    }
    int bits = presence(event);
    ensure(MAX_HEADER_BYTES + optionalBytesUpperBound(event, bits));
    pos = 0;
    buffer[pos++] = (byte) type.code();
    buffer[pos++] = (byte) SCHEMA_VERSION;
    writeVarLong(bits);
    writeLongLe(event.timeNanos());
    writeVarLong(event.sequence() == Event.ABSENT ? 0 : event.sequence());
    if ((bits & PEER) != 0) {
      writeBytes(event.peer());
    }
    if ((bits & TOPIC) != 0) {
      writeString(event.topic());
    }
    if ((bits & MESSAGE_ID) != 0) {
      writeBytes(event.messageId());
    }
    if ((bits & ORIGIN) != 0) {
      writeBytes(event.origin());
    }
    if ((bits & ORIGIN_SEQNO) != 0) {
      writeVarLong(zigzag(event.originSeqno()));
    }
    if ((bits & LAMPORT) != 0) {
      writeVarLong(zigzag(event.lamport()));
    }
    if ((bits & SIZE) != 0) {
      writeVarLong(event.size());
    }
    if ((bits & DIRECTION) != 0) {
      buffer[pos++] = (byte) event.direction().code();
    }
    if ((bits & VALUE) != 0) {
      writeVarLong(zigzag(event.value()));
    }
    if ((bits & TEXT) != 0) {
      writeString(event.text());
    }
    if ((bits & DATA) != 0) {
      writeBytes(event.data());
    }
    if ((bits & VIA) != 0) {
      buffer[pos++] = (byte) event.via().code();
    }
    if ((bits & RPC_COUNTS) != 0) {
      writeVarLong(RpcPart.COUNT);
      for (RpcPart part : PARTS) {
        writeVarLong(event.rpcCount(part));
      }
    }
    if ((bits & RPC_IDS) != 0) {
      int n = event.rpcIdCount();
      writeVarLong(n);
      byte[] ids = event.rpcIdBytes();
      for (int i = 0; i < n; i++) {
        buffer[pos++] = (byte) event.rpcIdPartCode(i);
        int from = event.rpcIdStart(i);
        int len = event.rpcIdEnd(i) - from;
        writeVarLong(len);
        System.arraycopy(ids, from, buffer, pos, len);
        pos += len;
      }
    }
    if ((bits & EPOCH) != 0) {
      writeVarLong(zigzag(event.epoch()));
    }
    if ((bits & FINAL_SEQ) != 0) {
      writeVarLong(zigzag(event.finalSeq()));
    }
    if ((bits & OLD_POSITION) != 0) {
      writeVarLong(zigzag(event.oldPosition()));
    }
    if ((bits & NEW_POSITION) != 0) {
      writeVarLong(zigzag(event.newPosition()));
    }
    return pos;
  }

  /** The encode buffer; valid up to the length the last {@link #encode} returned. */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Decodes one record into {@code into}, clearing fields the record does not carry.
   *
   * @return true when decoded; false when the record's type code is unknown (skip it)
   * @throws IllegalArgumentException when the record is truncated or malformed
   */
  public boolean decode(byte[] src, int offset, int length, Event into) {
    if (!view.wrap(src, offset, length)) {
      return false;
    }
    view.toEvent(into);
    return true;
  }

  /**
   * Reads only the wall-clock time of a record, for seeking by time.
   *
   * @return the record's time in ns since the epoch, or {@link Event#ABSENT} for an unknown type
   */
  public static long peekTimeNanos(byte[] src, int offset, int length) {
    if (length < 2 + 1 + 8 || EventType.ofCode(src[offset] & 0xFF) == null) {
      return Event.ABSENT;
    }
    int p = offset + 2;
    while ((src[p] & 0x80) != 0) {
      p++;
    }
    p++;
    if (p + 8 > offset + length) {
      return Event.ABSENT;
    }
    return readLongLe(src, p);
  }

  private static final RpcPart[] PARTS = RpcPart.values();

  /** Decoding goes through the view, so that the layout is parsed in one place. */
  private final EventView view = new EventView();

  private static int presence(Event e) {
    int bits = 0;
    if (e.peer() != null) {
      bits |= PEER;
    }
    if (e.topic() != null) {
      bits |= TOPIC;
    }
    if (e.messageId() != null) {
      bits |= MESSAGE_ID;
    }
    if (e.origin() != null) {
      bits |= ORIGIN;
    }
    if (e.originSeqno() != Event.ABSENT) {
      bits |= ORIGIN_SEQNO;
    }
    if (e.lamport() != Event.ABSENT) {
      bits |= LAMPORT;
    }
    if (e.size() >= 0) {
      bits |= SIZE;
    }
    if (e.direction() != Direction.NONE) {
      bits |= DIRECTION;
    }
    if (e.value() != Event.ABSENT) {
      bits |= VALUE;
    }
    if (e.text() != null) {
      bits |= TEXT;
    }
    if (e.data() != null) {
      bits |= DATA;
    }
    if (e.via() != Via.UNKNOWN) {
      bits |= VIA;
    }
    if (e.hasRpcCounts()) {
      bits |= RPC_COUNTS;
    }
    if (e.rpcIdCount() > 0) {
      bits |= RPC_IDS;
    }
    if (e.epoch() != Event.ABSENT) {
      bits |= EPOCH;
    }
    if (e.finalSeq() != Event.ABSENT) {
      bits |= FINAL_SEQ;
    }
    if (e.oldPosition() != Event.ABSENT) {
      bits |= OLD_POSITION;
    }
    if (e.newPosition() != Event.ABSENT) {
      bits |= NEW_POSITION;
    }
    return bits;
  }

  /** An upper bound of the optional fields' size; strings count 3 bytes per char (UTF-8). */
  private static int optionalBytesUpperBound(Event e, int bits) {
    long n = 8 * 10 + 2; // eight numbers of at most 10 bytes, direction and via
    if ((bits & PEER) != 0) {
      n += 5 + e.peer().length;
    }
    if ((bits & TOPIC) != 0) {
      n += 5 + 3L * e.topic().length();
    }
    if ((bits & MESSAGE_ID) != 0) {
      n += 5 + e.messageId().length;
    }
    if ((bits & ORIGIN) != 0) {
      n += 5 + e.origin().length;
    }
    if ((bits & TEXT) != 0) {
      n += 5 + 3L * e.text().length();
    }
    if ((bits & DATA) != 0) {
      n += 5 + e.data().length;
    }
    if ((bits & RPC_COUNTS) != 0) {
      n += 5 + 5L * RpcPart.COUNT;
    }
    if ((bits & RPC_IDS) != 0) {
      n += 5 + 6L * e.rpcIdCount() + e.rpcIdEnd(e.rpcIdCount() - 1);
    }
    if (n > Integer.MAX_VALUE - MAX_HEADER_BYTES) {
      throw new IllegalArgumentException("event too large to encode");
    }
    return (int) n;
  }

  private void ensure(int capacity) {
    if (buffer.length < capacity) {
      buffer = new byte[Math.max(capacity, buffer.length * 2)];
    }
  }

  private void writeBytes(byte[] b) {
    writeVarLong(b.length);
    System.arraycopy(b, 0, buffer, pos, b.length);
    pos += b.length;
  }

  /** UTF-8 without a temporary array: length first (one pass), then the bytes (second pass). */
  private void writeString(String s) {
    int n = s.length();
    int utf8 = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        utf8++;
      } else if (c < 0x800) {
        utf8 += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        utf8 += 4;
        i++;
      } else {
        utf8 += 3;
      }
    }
    writeVarLong(utf8);
    byte[] b = buffer;
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        // A lone surrogate is not valid UTF-8: write the replacement character U+FFFD.
        char ch = Character.isSurrogate(c) ? '\uFFFD' : c;
        b[p++] = (byte) (0xE0 | (ch >> 12));
        b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (ch & 0x3F));
      }
    }
    pos = p;
  }

  private void writeVarLong(long v) {
    while ((v & ~0x7FL) != 0) {
      buffer[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[pos++] = (byte) v;
  }

  private void writeLongLe(long v) {
    LONG_LE.set(buffer, pos, v);
    pos += 8;
  }

  private static long readLongLe(byte[] b, int p) {
    return (long) LONG_LE.get(b, p);
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }
}
