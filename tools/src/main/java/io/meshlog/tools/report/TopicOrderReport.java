package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.projection.FinalEntry;
import io.meshlog.eventlog.projection.OrderingCursor;
import io.meshlog.eventlog.projection.OrderingEntry;
import io.meshlog.eventlog.projection.Projections;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * A node's view of a topic's order, from its projections (read-only) and journal: the library
 * behind {@code meshlog order}. Final rows first, by seq; then the provisional rows (messages with
 * a Lamport time and no final position) in (Lamport, origin, seqno) order. Origin and Lamport time
 * of a row come from the PUBLISH/DELIVER record the projections point at.
 */
public final class TopicOrderReport {

  /** Output formats. */
  public enum Format {
    text,
    json
  }

  private static final int PAGE = 10_000;

  private TopicOrderReport() {}

  /**
   * Prints the order of {@code topic}; an unknown topic prints nothing.
   *
   * @param fromSeq first final seq printed (provisional rows are always printed)
   * @return the number of rows printed
   */
  public static long write(
      Projections projections,
      JournalReader journal,
      String topic,
      long fromSeq,
      Format format,
      PrintWriter out) {
    Row row = format == Format.json ? new JsonRow(out) : new TextRow(out);
    Event e = new Event();
    long printed = 0;
    long next = Math.max(0, fromSeq);
    while (true) {
      List<FinalEntry> page = projections.finalOrder(topic, next, PAGE);
      for (FinalEntry f : page) {
        OptionalLong at = projections.messageIndex(f.messageId());
        if (at.isEmpty() || !read(journal, at.getAsLong(), e)) {
          continue; // confirmed, but this node does not hold the message (a gap)
        }
        row.print(f.epoch(), f.seq(), f.messageId(), e.origin(), e.lamport(), true);
        printed++;
      }
      if (page.size() < PAGE) {
        break;
      }
      next = page.get(page.size() - 1).seq() + 1;
    }
    try (OrderingCursor c = projections.orderingIndex(topic)) {
      while (c.hasNext()) {
        OrderingEntry o = c.next();
        if (!read(journal, o.journalIndex(), e) || e.messageId() == null) {
          continue;
        }
        if (projections.finalPosition(e.messageId()).isPresent()) {
          continue;
        }
        row.print(Event.ABSENT, Event.ABSENT, e.messageId(), e.origin(), o.lamport(), false);
        printed++;
      }
    }
    out.flush();
    return printed;
  }

  /**
   * How many journal events the projections have not applied yet: what {@code meshlog order} says
   * on stderr.
   */
  public static long lag(Projections projections, JournalReader journal) {
    journal.toAfter(projections.appliedIndex());
    Event e = new Event();
    long n = 0;
    while (journal.next(e) >= 0) {
      n++;
    }
    return n;
  }

  private static boolean read(JournalReader journal, long index, Event into) {
    journal.toAfter(index - 1);
    long at = journal.next(into);
    return at == index
        && (into.type() == EventType.PUBLISH_MESSAGE || into.type() == EventType.DELIVER_MESSAGE);
  }

  private interface Row {
    void print(long epoch, long seq, byte[] id, byte[] origin, long lamport, boolean isFinal);
  }

  /** {@code seq epoch status messageId origin=... lamport=...}; "-" for no epoch and seq. */
  private static final class TextRow implements Row {
    private final PrintWriter out;

    TextRow(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void print(long epoch, long seq, byte[] id, byte[] origin, long lamport, boolean fin) {
      StringBuilder sb = new StringBuilder(96);
      sb.append(fin ? Long.toString(seq) : "-").append(' ');
      sb.append(fin ? Long.toString(epoch) : "-").append(' ');
      sb.append(fin ? "final" : "provisional").append(' ').append(JournalDump.hex(id));
      sb.append(" origin=").append(origin == null ? "-" : Base58.encode(origin));
      sb.append(" lamport=").append(lamport == Event.ABSENT ? "-" : Long.toString(lamport));
      out.println(sb);
    }
  }

  /** One JSON object per line, every key present. */
  private static final class JsonRow implements Row {
    private final PrintWriter out;
    private final JsonGenerator gen;

    JsonRow(PrintWriter out) {
      this.out = out;
      try {
        gen = new JsonFactory().createGenerator(out);
        gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        gen.setRootValueSeparator(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void print(long epoch, long seq, byte[] id, byte[] origin, long lamport, boolean fin) {
      try {
        gen.writeStartObject();
        number("epoch", fin ? epoch : Event.ABSENT);
        number("seq", fin ? seq : Event.ABSENT);
        gen.writeStringField("messageId", JournalDump.hex(id));
        gen.writeStringField("origin", origin == null ? null : Base58.encode(origin));
        number("lamport", lamport);
        gen.writeStringField("status", fin ? "final" : "provisional");
        gen.writeEndObject();
        gen.flush();
        out.println();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void number(String name, long v) throws IOException {
      if (v == Event.ABSENT) {
        gen.writeNullField(name);
      } else {
        gen.writeNumberField(name, v);
      }
    }
  }
}
