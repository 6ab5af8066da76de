package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.node.discovery.Registration;
import io.meshlog.node.discovery.RegistrationTable;
import io.meshlog.node.p2p.Multiaddr;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * "Who's in this channel?": the live registrations of one topic at a directory, read from its
 * journal (the directory's state is a fold of its DIRECTORY_REGISTERED / DIRECTORY_UNREGISTERED
 * records), so it answers for a running directory and a stopped one alike. The library side of
 * {@code meshlog directory peers}.
 */
public final class DirectoryPeersReport {

  /** Output formats. */
  public enum Format {
    text,
    json
  }

  private DirectoryPeersReport() {}

  /**
   * The registrations in {@code topic} still live at {@code nowNanos}, in registration order.
   *
   * @throws io.meshlog.eventlog.JournalException when {@code dataDir} holds no readable journal
   */
  public static List<Registration> read(Path dataDir, String topic, long nowNanos) {
    try (JournalReader reader = Journals.openReader(dataDir.resolve("journal"))) {
      return RegistrationTable.replay(reader, nowNanos).topic(topic);
    }
  }

  /** Writes {@code rows} of {@code topic} as of {@code nowNanos}. */
  public static void write(
      String topic, List<Registration> rows, long nowNanos, Format format, PrintWriter out) {
    if (format == Format.json) {
      writeJson(topic, rows, nowNanos, out);
    } else {
      out.printf("topic %s: %d peers registered%n", topic, rows.size());
      if (!rows.isEmpty()) {
        out.printf("%-52s %-30s %-30s %s%n", "PEER", "REGISTERED AT", "EXPIRES AT", "ADDRESSES");
        for (Registration r : rows) {
          out.printf(
              "%-52s %-30s %-30s %s%n",
              r.peer().toBase58(),
              r.registeredAt(),
              r.expiresAt(),
              String.join(" ", r.addresses().stream().map(Multiaddr::toString).toList()));
        }
      }
    }
    out.flush();
  }

  private static void writeJson(
      String topic, List<Registration> rows, long nowNanos, PrintWriter out) {
    ObjectMapper mapper =
        new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // one JSON line
    ObjectNode root = mapper.createObjectNode();
    root.put("topic", topic);
    root.put("asOf", Instant.ofEpochSecond(0, nowNanos).toString());
    ArrayNode peers = root.putArray("peers");
    for (Registration r : rows) {
      ObjectNode p =
          peers
              .addObject()
              .put("peer", r.peer().toBase58())
              .put("registeredAt", r.registeredAt().toString())
              .put("expiresAt", r.expiresAt().toString())
              .put("ttlSeconds", r.ttlSecondsAt(nowNanos));
      ArrayNode addrs = p.putArray("addresses");
      for (Multiaddr a : r.addresses()) {
        addrs.add(a.toString());
      }
    }
    try {
      mapper.writeValue(out, root);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.println();
  }
}
