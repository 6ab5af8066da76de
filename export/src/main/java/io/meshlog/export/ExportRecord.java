package io.meshlog.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.JournalConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One shipped journal record as a Kafka record value (docs/export.md has the layout). Binary,
 * big-endian:
 *
 * <pre>
 *   u8 format version (1) | u8 n | n bytes node peer id | i64 journal index
 *   | u8 m | m bytes roll cycle name (ASCII) | the journal's own record, to the end
 * </pre>
 *
 * or a JSON object with the same fields plus the decoded event's fields, the record in {@code
 * record} (base64). The key is the node's peer id in base58 (UTF-8), so one node's records stay in
 * order in one partition. Stateless and thread-safe, except {@link Json}, one per thread.
 */
public final class ExportRecord {
  /** The header layout's version; a reader refuses higher ones. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExportRecord() {}

  /** A record read back: whose, where it was in the journal, and its bytes. */
  public record Shipped(byte[] node, long index, JournalConfig.RollCycle rollCycle, byte[] record) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Shipped s
          && s.index == index
          && s.rollCycle == rollCycle
          && Arrays.equals(s.node, node)
          && Arrays.equals(s.record, record);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(index) * 31 + Arrays.hashCode(node);
    }

    @Override
    public String toString() {
      return Base58.encode(node) + "@" + index;
    }
  }

  /** The record key: the node's base58 peer id. */
  public static byte[] key(byte[] node) {
    return Base58.encode(node).getBytes(StandardCharsets.UTF_8);
  }

  /** A binary value. */
  public static byte[] binary(
      byte[] node,
      long index,
      JournalConfig.RollCycle rollCycle,
      byte[] record,
      int offset,
      int length) {
    if (node.length > 255) {
      throw new IllegalArgumentException("peer id of " + node.length + " bytes");
    }
    byte[] rc = rollCycle.name().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(1 + 1 + node.length + 8 + 1 + rc.length + length);
    b.put((byte) FORMAT_VERSION);
    b.put((byte) node.length).put(node);
    b.putLong(index);
    b.put((byte) rc.length).put(rc);
    b.put(record, offset, length);
    return b.array();
  }

  /**
   * Reads a value of either form back.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static Shipped read(byte[] value) {
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("empty record value");
    }
    if (value[0] == '{') {
      return readJson(value);
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    try {
      int version = b.get() & 0xff;
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "record format version " + version + " (this meshlog reads " + FORMAT_VERSION + ")");
      }
      byte[] node = new byte[b.get() & 0xff];
      b.get(node);
      long index = b.getLong();
      byte[] rc = new byte[b.get() & 0xff];
      b.get(rc);
      byte[] record = new byte[b.remaining()];
      b.get(record);
      return new Shipped(node, index, rollCycle(new String(rc, StandardCharsets.US_ASCII)), record);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("record value truncated (" + value.length + " bytes)", e);
    }
  }

  private static Shipped readJson(byte[] value) {
    JsonNode n;
    try {
      n = MAPPER.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("record value is not JSON: " + e.getMessage(), e);
    }
    int version = n.path("format").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "record format version " + version + " (this meshlog reads " + FORMAT_VERSION + ")");
    }
    for (String f : new String[] {"node", "index", "rollCycle", "record"}) {
      if (!n.hasNonNull(f)) {
        throw new IllegalArgumentException("JSON record value without " + f);
      }
    }
    return new Shipped(
        Base58.decode(n.get("node").asText()),
        n.get("index").asLong(),
        rollCycle(n.get("rollCycle").asText()),
        Base64.getDecoder().decode(n.get("record").asText()));
  }

  private static JournalConfig.RollCycle rollCycle(String name) {
    try {
      return JournalConfig.RollCycle.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown roll cycle " + name, e);
    }
  }

  /** Writes JSON values; reuses its buffers. Not thread-safe. */
  public static final class Json {
    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final EventCodec codec = new EventCodec(64);
    private final Event event = new Event();
    private final HexFormat hex = HexFormat.of();

    /** A JSON value; the event's fields are added when this version knows its type. */
    public byte[] value(
        byte[] node,
        long index,
        JournalConfig.RollCycle rollCycle,
        byte[] record,
        int offset,
        int length) {
      out.reset();
      try (JsonGenerator g = factory.createGenerator(out)) {
        g.writeStartObject();
        g.writeNumberField("format", FORMAT_VERSION);
        g.writeStringField("node", Base58.encode(node));
        g.writeNumberField("index", index);
        g.writeStringField("rollCycle", rollCycle.name());
        if (codec.decode(record, offset, length, event.clear())) {
          fields(g);
        }
        g.writeStringField(
            "record",
            Base64.getEncoder()
                .encodeToString(Arrays.copyOfRange(record, offset, offset + length)));
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    private void fields(JsonGenerator g) throws IOException {
      Event e = event;
      g.writeStringField("type", e.type().name());
      g.writeNumberField("schemaVersion", e.schemaVersion());
      g.writeNumberField("timeNanos", e.timeNanos());
      g.writeNumberField("sequence", e.sequence());
      if (e.peer() != null) {
        g.writeStringField("peer", Base58.encode(e.peer()));
      }
      if (e.topic() != null) {
        g.writeStringField("topic", e.topic());
      }
      if (e.messageId() != null) {
        g.writeStringField("messageId", hex.formatHex(e.messageId()));
      }
      if (e.origin() != null) {
        g.writeStringField("origin", Base58.encode(e.origin()));
      }
      if (e.originSeqno() != Event.ABSENT) {
        g.writeNumberField("originSeqno", e.originSeqno());
      }
      if (e.lamport() != Event.ABSENT) {
        g.writeNumberField("lamport", e.lamport());
      }
      if (e.size() >= 0) {
        g.writeNumberField("size", e.size());
      }
      if (e.direction() != null) {
        g.writeStringField("direction", e.direction().name());
      }
      if (e.value() != Event.ABSENT) {
        g.writeNumberField("value", e.value());
      }
      if (e.text() != null) {
        g.writeStringField("text", e.text());
      }
    }
  }
}
