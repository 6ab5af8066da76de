package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlog.eventlog.projection.LatencyHistogram;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Renders the peer and topic tables of a node's projections as text or JSON: the library side of
 * {@code meshlog stats}. Peers are printed in base58; times as UTC instants from event times.
 */
public final class StatsReport {

  /** Output formats. */
  public enum Format {
    text,
    json
  }

  private StatsReport() {}

  /**
   * Writes the report.
   *
   * @param peers the peers to show (possibly filtered)
   * @param topics the topics to show (possibly filtered)
   */
  public static void write(
      Projections projections,
      List<PeerStats> peers,
      List<TopicStats> topics,
      Format format,
      PrintWriter out) {
    if (format == Format.json) {
      writeJson(projections.appliedIndex(), peers, topics, out);
    } else {
      writeText(projections.appliedIndex(), peers, topics, out);
    }
    out.flush();
  }

  private static void writeText(
      long appliedIndex, List<PeerStats> peers, List<TopicStats> topics, PrintWriter out) {
    out.printf("projections applied up to journal index %d%n", appliedIndex);
    if (!peers.isEmpty()) {
      out.printf(
          "%npeers (%d)%n%-52s %-30s %-30s %6s %6s %9s %9s %12s %12s %9s %6s %6s %10s%n",
          peers.size(),
          "PEER",
          "FIRST SEEN",
          "LAST SEEN",
          "CONN",
          "DISC",
          "MSG IN",
          "MSG OUT",
          "BYTES IN",
          "BYTES OUT",
          "DELIVERED",
          "DUPS",
          "REJ",
          "RTT us");
      for (PeerStats p : peers) {
        out.printf(
            "%-52s %-30s %-30s %6d %6d %9d %9d %12d %12d %9d %6d %6d %10s%n",
            p.peerBase58(),
            instant(p.firstSeenNanos()),
            instant(p.lastSeenNanos()),
            p.connections(),
            p.disconnects(),
            p.messagesIn(),
            p.messagesOut(),
            p.bytesIn(),
            p.bytesOut(),
            p.delivered(),
            p.duplicates(),
            p.rejects(),
            p.lastRttNanos() < 0 ? "-" : Long.toString(p.lastRttNanos() / 1000));
      }
    }
    if (!topics.isEmpty()) {
      out.printf(
          "%ntopics (%d)%n%-40s %10s %14s %-30s %8s %8s %12s %12s %8s%n",
          topics.size(),
          "TOPIC",
          "MESSAGES",
          "BYTES",
          "LAST MESSAGE",
          "DUPS",
          "REJ",
          "LAT p50 <us",
          "LAT p99 <us",
          "SKEWED");
      for (TopicStats t : topics) {
        out.printf(
            "%-40s %10d %14d %-30s %8d %8d %12s %12s %8d%n",
            t.topic(),
            t.messages(),
            t.bytes(),
            t.lastMessageNanos() == 0 ? "-" : instant(t.lastMessageNanos()),
            t.duplicates(),
            t.rejects(),
            micros(t.latency(), 0.5),
            micros(t.latency(), 0.99),
            t.latencySkewed());
      }
    }
  }

  private static void writeJson(
      long appliedIndex, List<PeerStats> peers, List<TopicStats> topics, PrintWriter out) {
    ObjectMapper mapper =
        // one object on one line: --format json output of every command is strict JSON lines
        new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    ObjectNode root = mapper.createObjectNode();
    root.put("appliedIndex", appliedIndex);
    ArrayNode peerArray = root.putArray("peers");
    for (PeerStats p : peers) {
      peerArray
          .addObject()
          .put("peer", p.peerBase58())
          .put("firstSeenNanos", p.firstSeenNanos())
          .put("lastSeenNanos", p.lastSeenNanos())
          .put("connections", p.connections())
          .put("disconnects", p.disconnects())
          .put("messagesIn", p.messagesIn())
          .put("messagesOut", p.messagesOut())
          .put("bytesIn", p.bytesIn())
          .put("bytesOut", p.bytesOut())
          .put("delivered", p.delivered())
          .put("duplicates", p.duplicates())
          .put("rejects", p.rejects())
          .put("lastRttNanos", p.lastRttNanos());
    }
    ArrayNode topicArray = root.putArray("topics");
    for (TopicStats t : topics) {
      ObjectNode node =
          topicArray
              .addObject()
              .put("topic", t.topic())
              .put("messages", t.messages())
              .put("bytes", t.bytes())
              .put("lastMessageNanos", t.lastMessageNanos())
              .put("duplicates", t.duplicates())
              .put("rejects", t.rejects())
              .put("latencySkewed", t.latencySkewed());
      ArrayNode buckets = node.putArray("latencyBuckets");
      for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
        long count = t.latency().count(i);
        if (count != 0) {
          buckets
              .addObject()
              .put("belowNanos", LatencyHistogram.upperBoundNanos(i))
              .put("count", count);
        }
      }
    }
    try {
      mapper.writeValue(out, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
  }

  private static String instant(long nanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  private static String micros(LatencyHistogram h, double q) {
    long bound = h.quantileUpperBoundNanos(q);
    if (bound < 0) {
      return "-";
    }
    return bound == Long.MAX_VALUE ? "inf" : Long.toString(bound / 1000);
  }
}
