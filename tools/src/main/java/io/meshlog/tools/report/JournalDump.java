package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.disk.Journals;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Prints a journal's events, one line each, as text or JSON lines; the library behind {@code
 * meshlog journal dump}. Reads a journal another process may be writing.
 */
public final class JournalDump {

  /** Output formats. */
  public enum Format {
    TEXT,
    JSON
  }

  /**
   * What to print.
   *
   * @param journalDir the journal directory ({@code <data-dir>/journal})
   * @param fromIndex first journal index to print (inclusive), or -1 for the start
   * @param fromTime first wall-clock time to print, or null
   * @param types types to print; empty prints all
   * @param topic only events of this topic, or null
   * @param peer only events whose peer or origin is this base58 peer id, or null
   * @param withData include the message bytes (base64 in JSON, length in text)
   * @param limit stop after this many printed events; 0 is unlimited
   * @param follow keep printing new events until {@code stop} says so
   */
  public record Options(
      Path journalDir,
      long fromIndex,
      Instant fromTime,
      Set<EventType> types,
      String topic,
      String peer,
      Format format,
      boolean withData,
      long limit,
      boolean follow) {}

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private JournalDump() {}

  /**
   * Prints matching events to {@code out}. When retention deleted cycle files before the dump
   * reached them, says on {@code err}, in one line at the end, how many events it stepped over.
   *
   * @param stop polled while following; true ends the dump
   * @return the number of events printed
   * @throws io.meshlog.eventlog.JournalException when the journal is missing or damaged
   */
  public static long dump(Options options, PrintWriter out, PrintWriter err, BooleanSupplier stop) {
    byte[] peer = options.peer() == null ? null : Base58.decode(options.peer());
    Set<EventType> types =
        options.types().isEmpty()
            ? EnumSet.allOf(EventType.class)
            : EnumSet.copyOf(options.types());
    Line line =
        options.format() == Format.JSON
            ? new JsonLine(out, options.withData())
            : new TextLine(out, options.withData());
    long printed = 0;
    try (JournalReader reader = Journals.openReader(options.journalDir())) {
      if (options.fromTime() != null) {
        Instant t = options.fromTime();
        reader.toTime(t.getEpochSecond() * 1_000_000_000L + t.getNano());
      } else if (options.fromIndex() >= 0) {
        reader.toAfter(options.fromIndex() - 1);
      }
      Event e = new Event();
      while (options.limit() == 0 || printed < options.limit()) {
        long index = options.follow() ? reader.next(e, Duration.ofMillis(200)) : reader.next(e);
        if (index < 0) {
          if (!options.follow() || stop.getAsBoolean()) {
            break;
          }
          out.flush();
          continue;
        }
        if (options.fromIndex() >= 0 && index < options.fromIndex()) {
          continue;
        }
        if (!types.contains(e.type())
            || (options.topic() != null && !options.topic().equals(e.topic()))
            || (peer != null
                && !Arrays.equals(peer, e.peer())
                && !Arrays.equals(peer, e.origin()))) {
          continue;
        }
        line.print(index, e);
        printed++;
      }
      long deleted = reader.eventsDeletedUnderReader();
      if (deleted > 0) {
        err.println(
            "meshlog journal dump: stepped over "
                + deleted
                + " events whose cycle files retention deleted before the dump reached them");
        err.flush();
      }
    }
    out.flush();
    return printed;
  }

  static String time(long timeNanos) {
    return TIME.format(Instant.ofEpochSecond(0, timeNanos));
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return sb.toString();
  }

  private interface Line {
    void print(long index, Event e);
  }

  /** {@code index seq time TYPE key=value ...}, only present fields. */
  private static final class TextLine implements Line {
    private final PrintWriter out;
    private final boolean withData;
    private final StringBuilder sb = new StringBuilder(256);

    TextLine(PrintWriter out, boolean withData) {
      this.out = out;
      this.withData = withData;
    }

    @Override
    public void print(long index, Event e) {
      sb.setLength(0);
      sb.append(index).append(' ').append(e.sequence()).append(' ').append(time(e.timeNanos()));
      sb.append(' ').append(e.type());
      if (e.peer() != null) {
        sb.append(" peer=").append(Base58.encode(e.peer()));
      }
      if (e.topic() != null) {
        sb.append(" topic=").append(e.topic());
      }
      if (e.messageId() != null) {
        sb.append(" msg=").append(hex(e.messageId()));
      }
      if (e.origin() != null) {
        sb.append(" from=").append(Base58.encode(e.origin()));
      }
      if (e.originSeqno() != Event.ABSENT) {
        sb.append(" seqno=").append(e.originSeqno());
      }
      if (e.lamport() != Event.ABSENT) {
        sb.append(" lamport=").append(e.lamport());
      }
      if (e.size() >= 0) {
        sb.append(" size=").append(e.size());
      }
      if (e.direction() != Direction.NONE) {
        sb.append(" dir=").append(e.direction());
      }
      if (e.value() != Event.ABSENT) {
        sb.append(" value=").append(e.value());
      }
      if (e.type() == EventType.DELIVER_MESSAGE) {
        sb.append(" via=").append(e.via().label());
      }
      if (e.epoch() != Event.ABSENT) {
        sb.append(" epoch=").append(e.epoch());
      }
      if (e.finalSeq() != Event.ABSENT) {
        sb.append(" finalSeq=").append(e.finalSeq());
      }
      if (e.oldPosition() != Event.ABSENT) {
        sb.append(" oldPosition=").append(e.oldPosition());
      }
      if (e.newPosition() != Event.ABSENT) {
        sb.append(" newPosition=").append(e.newPosition());
      }
      if (e.hasRpcCounts()) {
        sb.append(" rpc=");
        for (RpcPart part : RpcPart.values()) {
          sb.append(part.code() == 0 ? "" : ",").append(part.label()).append(':');
          sb.append(e.rpcCount(part));
        }
      }
      if (e.rpcIdCount() > 0) {
        sb.append(" ids=");
        for (int i = 0; i < e.rpcIdCount(); i++) {
          RpcPart part = e.rpcIdPart(i);
          sb.append(i == 0 ? "" : ",").append(part == null ? "?" : part.label()).append(':');
          sb.append(hex(e.rpcId(i)));
        }
      }
      if (e.text() != null) {
        sb.append(" text=\"")
            .append(e.text().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
            .append('"');
      }
      if (e.data() != null) {
        sb.append(" data=").append(e.data().length).append('B');
        if (withData) {
          sb.append(':').append(Base64.getEncoder().encodeToString(e.data()));
        }
      }
      out.println(sb);
    }
  }

  /** One JSON object per line; absent fields are null so every line has the same keys. */
  private static final class JsonLine implements Line {
    private static final JsonFactory JSON = new JsonFactory();
    private final PrintWriter out;
    private final boolean withData;
    private final JsonGenerator gen;

    JsonLine(PrintWriter out, boolean withData) {
      this.out = out;
      this.withData = withData;
      try {
        this.gen = JSON.createGenerator(out);
        gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null); // no space between root values: every line starts with '{'
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void print(long index, Event e) {
      try {
        gen.writeStartObject();
        gen.writeNumberField("index", index);
        gen.writeNumberField("seq", e.sequence());
        gen.writeStringField("type", e.type().name());
        gen.writeStringField("time", time(e.timeNanos()));
        gen.writeNumberField("timeNanos", e.timeNanos());
        gen.writeStringField("peer", e.peer() == null ? null : Base58.encode(e.peer()));
        gen.writeStringField("topic", e.topic());
        gen.writeStringField("messageId", e.messageId() == null ? null : hex(e.messageId()));
        gen.writeStringField("from", e.origin() == null ? null : Base58.encode(e.origin()));
        longOrNull("seqno", e.originSeqno());
        longOrNull("lamport", e.lamport());
        if (e.size() >= 0) {
          gen.writeNumberField("size", e.size());
        } else {
          gen.writeNullField("size");
        }
        gen.writeStringField(
            "direction", e.direction() == Direction.NONE ? null : e.direction().name());
        longOrNull("value", e.value());
        gen.writeStringField("text", e.text());
        gen.writeStringField("via", e.type() == EventType.DELIVER_MESSAGE ? e.via().label() : null);
        longOrNull("epoch", e.epoch());
        longOrNull("finalSeq", e.finalSeq());
        longOrNull("oldPosition", e.oldPosition());
        longOrNull("newPosition", e.newPosition());
        if (e.hasRpcCounts()) {
          gen.writeObjectFieldStart("rpc");
          for (RpcPart part : RpcPart.values()) {
            gen.writeNumberField(part.label(), e.rpcCount(part));
          }
          gen.writeEndObject();
        } else {
          gen.writeNullField("rpc");
        }
        if (e.rpcIdCount() > 0) {
          gen.writeArrayFieldStart("rpcIds");
          for (int i = 0; i < e.rpcIdCount(); i++) {
            RpcPart part = e.rpcIdPart(i);
            gen.writeStartObject();
            gen.writeStringField("part", part == null ? null : part.label());
            gen.writeStringField("messageId", hex(e.rpcId(i)));
            gen.writeEndObject();
          }
          gen.writeEndArray();
        } else {
          gen.writeNullField("rpcIds");
        }
        if (withData) {
          gen.writeStringField(
              "data", e.data() == null ? null : Base64.getEncoder().encodeToString(e.data()));
        }
        gen.writeNumberField("schemaVersion", e.schemaVersion());
        gen.writeEndObject();
        gen.flush();
        out.println();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    private void longOrNull(String name, long v) throws IOException {
      if (v == Event.ABSENT) {
        gen.writeNullField(name);
      } else {
        gen.writeNumberField(name, v);
      }
    }
  }
}
