package io.meshlog.node.sync;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of {@code /meshlog/sync/1.0.0} (docs/sync.md). One request per stream, one
 * answer, each a single varint-length-prefixed message; numbers big-endian.
 *
 * <pre>
 *  request  u8 version=1, u8 kind, u16 topic length, topic UTF-8, then by kind:
 *    HEADS      u16 max origins
 *    BY_ORIGIN  u8 origin length, origin, u64 from, u64 to, u16 max messages, u32 max bytes
 *    BY_RANGE   u64 epoch, u64 from, u64 to, u16 max messages, u32 max bytes
 *    FINAL_IDS  as BY_RANGE
 *  answer   u8 version=1, u8 status, u16 text length, text UTF-8, then when OK:
 *    HEADS      u16 n, n x (u8 origin length, origin, u64 highest sequence)
 *    messages   u8 more (1: a limit cut the answer short), u16 n,
 *               n x (u64 sequence, u8 id length, message id, u32 length, pubsub Message protobuf)
 *    FINAL_IDS  u64 highest final seq of the topic (2^64-1: none), u64 through (the last
 *               final seq the listing covers; with more=1 ask again from through+1),
 *               u8 more, u16 n, n x (u64 seq, u64 epoch, u8 id length, message id)
 * </pre>
 *
 * Decoding checks every length against the bytes present before allocating and throws {@link
 * IllegalArgumentException} naming what is wrong. Stateless.
 */
final class SyncWire {

  static final byte VERSION = 1;

  enum Kind {
    HEADS(1),
    BY_ORIGIN(2),
    BY_RANGE(3),
    FINAL_IDS(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown request kind " + code);
    }
  }

  enum Status {
    OK(0),
    UNSUPPORTED(1),
    RATE_LIMITED(2),
    BAD_REQUEST(3),
    BUSY(4),
    ERROR(5);

    final int code;

    Status(int code) {
      this.code = code;
    }

    static Status of(int code) {
      for (Status s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown status " + code);
    }
  }

  /**
   * A request. {@code origin} only for BY_ORIGIN, {@code epoch} only for BY_RANGE and FINAL_IDS (0:
   * any epoch); {@code from}, {@code to} the inclusive sequence range (envelope sequences of the
   * origin, or final seqs).
   */
  record Request(
      Kind kind,
      String topic,
      byte[] origin,
      long epoch,
      long from,
      long to,
      int maxMessages,
      int maxBytes) {

    static Request heads(String topic, int maxOrigins) {
      return new Request(Kind.HEADS, topic, null, 0, 0, 0, maxOrigins, 0);
    }

    static Request byOrigin(
        String topic, byte[] origin, long from, long to, int maxMessages, int maxBytes) {
      return new Request(Kind.BY_ORIGIN, topic, origin, 0, from, to, maxMessages, maxBytes);
    }

    static Request byRange(
        String topic, long epoch, long from, long to, int maxMessages, int maxBytes) {
      return new Request(Kind.BY_RANGE, topic, null, epoch, from, to, maxMessages, maxBytes);
    }

    static Request finalIds(
        String topic, long epoch, long from, long to, int maxMessages, int maxBytes) {
      return new Request(Kind.FINAL_IDS, topic, null, epoch, from, to, maxMessages, maxBytes);
    }
  }

  /** One served message: its sequence in the asked stream, its id and its signed protobuf. */
  record Entry(long sequence, byte[] messageId, byte[] message) {}

  /** An origin's highest sequence in a topic, as the server's journal holds it. */
  record Head(byte[] origin, long highest) {}

  /** One row of a topic's final order at the server whose message it can serve. */
  record Final(long seq, long epoch, byte[] messageId) {}

  /**
   * An answer: status and text; when OK, heads (HEADS), entries (BY_ORIGIN, BY_RANGE) or the
   * topic's highest final seq ({@code -1}: none), the last final seq the listing covers and the
   * final rows among them whose message the server holds (FINAL_IDS). A listing can cover seqs and
   * list none of them: the server holds no message of any.
   */
  record Answer(
      Status status,
      String text,
      List<Head> heads,
      List<Entry> entries,
      boolean more,
      long finalHead,
      long finalThrough,
      List<Final> finals) {

    Answer(Status status, String text, List<Head> heads, List<Entry> entries, boolean more) {
      this(status, text, heads, entries, more, -1, -1, List.of());
    }

    static Answer finals(long finalHead, long through, List<Final> finals, boolean more) {
      return new Answer(Status.OK, "", List.of(), List.of(), more, finalHead, through, finals);
    }

    static Answer refused(Status status, String text) {
      return new Answer(status, text, List.of(), List.of(), false);
    }
  }

  private SyncWire() {}

  static byte[] encode(Request r) {
    byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + 2 + topic.length + 1 + 255 + 8 * 3 + 2 + 4);
    b.put(VERSION).put((byte) r.kind().code).putShort((short) topic.length).put(topic);
    switch (r.kind()) {
      case HEADS -> b.putShort((short) r.maxMessages());
      case BY_ORIGIN -> {
        b.put((byte) r.origin().length).put(r.origin()).putLong(r.from()).putLong(r.to());
        b.putShort((short) r.maxMessages()).putInt(r.maxBytes());
      }
      case BY_RANGE, FINAL_IDS -> {
        b.putLong(r.epoch()).putLong(r.from()).putLong(r.to());
        b.putShort((short) r.maxMessages()).putInt(r.maxBytes());
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  static Request decodeRequest(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      version(b);
      Kind kind = Kind.of(b.get() & 0xFF);
      String topic = string(b, b.getShort() & 0xFFFF);
      Request r =
          switch (kind) {
            case HEADS -> Request.heads(topic, b.getShort() & 0xFFFF);
            case BY_ORIGIN -> {
              byte[] origin = bytes(b, b.get() & 0xFF);
              long from = b.getLong();
              long to = b.getLong();
              yield Request.byOrigin(topic, origin, from, to, b.getShort() & 0xFFFF, b.getInt());
            }
            case BY_RANGE, FINAL_IDS -> {
              long epoch = b.getLong();
              long from = b.getLong();
              long to = b.getLong();
              int maxMessages = b.getShort() & 0xFFFF;
              int maxBytes = b.getInt();
              yield kind == Kind.BY_RANGE
                  ? Request.byRange(topic, epoch, from, to, maxMessages, maxBytes)
                  : Request.finalIds(topic, epoch, from, to, maxMessages, maxBytes);
            }
          };
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " bytes after the request");
      }
      if (kind != Kind.HEADS && (r.from() < 0 || r.to() < r.from())) {
        throw new IllegalArgumentException("bad range " + r.from() + ".." + r.to());
      }
      return r;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated request");
    }
  }

  /** Encodes an answer to a request of {@code kind}. */
  static byte[] encode(Kind kind, Answer a) {
    byte[] text = a.text().getBytes(StandardCharsets.UTF_8);
    int size = 4 + text.length + 3;
    for (Head h : a.heads()) {
      size += 1 + h.origin().length + 8;
    }
    for (Entry e : a.entries()) {
      size += 8 + 1 + e.messageId().length + 4 + e.message().length;
    }
    for (Final f : a.finals()) {
      size += 8 + 8 + 1 + f.messageId().length;
    }
    size += 16;
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION).put((byte) a.status().code).putShort((short) text.length).put(text);
    if (a.status() == Status.OK) {
      if (kind == Kind.HEADS) {
        b.putShort((short) a.heads().size());
        for (Head h : a.heads()) {
          b.put((byte) h.origin().length).put(h.origin()).putLong(h.highest());
        }
      } else if (kind == Kind.FINAL_IDS) {
        b.putLong(a.finalHead()).putLong(a.finalThrough());
        b.put((byte) (a.more() ? 1 : 0)).putShort((short) a.finals().size());
        for (Final f : a.finals()) {
          b.putLong(f.seq()).putLong(f.epoch()).put((byte) f.messageId().length);
          b.put(f.messageId());
        }
      } else {
        b.put((byte) (a.more() ? 1 : 0)).putShort((short) a.entries().size());
        for (Entry e : a.entries()) {
          b.putLong(e.sequence()).put((byte) e.messageId().length).put(e.messageId());
          b.putInt(e.message().length).put(e.message());
        }
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** Decodes an answer to a request of {@code kind}. */
  static Answer decodeAnswer(Kind kind, byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      version(b);
      Status status = Status.of(b.get() & 0xFF);
      String text = string(b, b.getShort() & 0xFFFF);
      if (status != Status.OK) {
        return Answer.refused(status, text);
      }
      List<Head> heads = new ArrayList<>();
      List<Entry> entries = new ArrayList<>();
      List<Final> finals = new ArrayList<>();
      long finalHead = -1;
      long through = -1;
      boolean more = false;
      if (kind == Kind.HEADS) {
        int n = b.getShort() & 0xFFFF;
        for (int i = 0; i < n; i++) {
          heads.add(new Head(bytes(b, b.get() & 0xFF), b.getLong()));
        }
      } else if (kind == Kind.FINAL_IDS) {
        finalHead = b.getLong();
        if (finalHead < -1) {
          throw new IllegalArgumentException("bad final head " + Long.toUnsignedString(finalHead));
        }
        through = b.getLong();
        if (through < -1) {
          throw new IllegalArgumentException("bad through " + Long.toUnsignedString(through));
        }
        more = b.get() != 0;
        int n = b.getShort() & 0xFFFF;
        for (int i = 0; i < n; i++) {
          long seq = b.getLong();
          long epoch = b.getLong();
          finals.add(new Final(seq, epoch, bytes(b, b.get() & 0xFF)));
        }
      } else {
        more = b.get() != 0;
        int n = b.getShort() & 0xFFFF;
        for (int i = 0; i < n; i++) {
          long seq = b.getLong();
          byte[] id = bytes(b, b.get() & 0xFF);
          entries.add(new Entry(seq, id, bytes(b, b.getInt())));
        }
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " bytes after the answer");
      }
      return new Answer(status, text, heads, entries, more, finalHead, through, finals);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated answer");
    }
  }

  private static void version(ByteBuffer b) {
    int v = b.get();
    if (v != VERSION) {
      throw new IllegalArgumentException("unsupported version " + v);
    }
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("length " + n + " exceeds the " + b.remaining() + " left");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static String string(ByteBuffer b, int n) {
    return new String(bytes(b, n), StandardCharsets.UTF_8);
  }
}
