package io.meshlog.reconciliation.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The life of one message across nodes: the library behind {@code meshlog replay explain}.
 *
 * <pre>
 *   ReplayAnalysis (all journals) ─► the message's row, anomalies, clock offsets
 *   each journal again ─► MessageTrail (route, duplicates, verdict, IHAVE, mesh at delivery)
 *                                  │
 *                                  ▼
 *            NodeStory per node + critical path + one line of "why" ─► Explanation
 * </pre>
 *
 * <p>Pure: reads no clock; the same journals give the same explanation whatever order the
 * directories are given in. Not thread-safe; each call is independent.
 */
public final class MessageExplain {
  private MessageExplain() {}

  /**
   * Explains message {@code messageIdHex} (hex, as {@code meshlog journal dump} prints it). Filters
   * of {@code options} ({@code from}, {@code to}, {@code peer}, {@code origin}) are ignored: the
   * whole life of the message is shown.
   *
   * @throws ReplayException as {@link ReplayAnalysis#analyze} does
   * @throws IllegalArgumentException when the id is not hex or no journal holds the message
   */
  public static Explanation explain(
      List<Path> dataDirs, String messageIdHex, ReplayOptions options) {
    String id = messageIdHex.toLowerCase(Locale.ROOT);
    byte[] idBytes = parseHex(id);
    ReplayOptions all =
        options.withWindow(Long.MIN_VALUE, Long.MAX_VALUE).withPeer(null).withOrigin(null);
    ReplayReport report = ReplayAnalysis.analyze(dataDirs, all);
    ReplayReport.MessageRow row = null;
    for (ReplayReport.MessageRow m : report.messages()) {
      if (m.messageId().equals(id)) {
        row = m;
        break;
      }
    }
    if (row == null) {
      throw new IllegalArgumentException(
          "no message " + id + " in the journals given (of their topics, after --topic)");
    }
    Map<String, ReplayReport.NodeSummary> nodes = new HashMap<>();
    for (ReplayReport.NodeSummary n : report.nodes()) {
      nodes.put(n.dataDir(), n);
    }
    Map<String, MessageTrail> trails = new HashMap<>();
    for (Path dir : dataDirs) {
      ReplayReport.NodeSummary n = nodes.get(dir.toString());
      if (n == null) {
        continue; // skipped as bad (--skip-bad): the report says so
      }
      try (JournalSource s = JournalSource.open(dir)) {
        trails.put(n.node(), MessageTrail.read(s, idBytes, row.topic()));
      } catch (ReplayException e) {
        if (!options.skipBad()) {
          throw e;
        }
      }
    }
    List<Anomaly> anomalies = new ArrayList<>();
    for (Anomaly a : report.anomalies()) {
      if (a.messageId().equals(id)) {
        anomalies.add(a);
      }
    }
    return new StoryTeller(report, row, trails, anomalies, options).tell();
  }

  /**
   * Explains several messages of {@code report} at once, reading each journal once more (not once
   * per message): what {@code replay --html} embeds for the messages a person clicks. The stories
   * are told against {@code report} as given (its filters included), so they match the page.
   *
   * @param messageIds hex ids of rows of {@code report}; ids it does not hold are left out
   * @return the explanations by id, in the order of {@code messageIds}
   * @throws ReplayException as {@link ReplayAnalysis#analyze} does
   */
  public static Map<String, Explanation> explainAll(
      List<Path> dataDirs, ReplayReport report, List<String> messageIds, ReplayOptions options) {
    Map<String, ReplayReport.MessageRow> rows = new HashMap<>();
    for (ReplayReport.MessageRow m : report.messages()) {
      rows.put(m.messageId(), m);
    }
    List<String> ids = new ArrayList<>();
    for (String id : messageIds) {
      if (rows.containsKey(id) && !ids.contains(id)) {
        ids.add(id);
      }
    }
    Map<String, ReplayReport.NodeSummary> nodes = new HashMap<>();
    for (ReplayReport.NodeSummary n : report.nodes()) {
      nodes.put(n.dataDir(), n);
    }
    // per message: per node, its trail
    Map<String, Map<String, MessageTrail>> trails = new HashMap<>();
    for (String id : ids) {
      trails.put(id, new HashMap<>());
    }
    for (Path dir : dataDirs) {
      ReplayReport.NodeSummary n = nodes.get(dir.toString());
      if (n == null) {
        continue;
      }
      TrailRouter router = new TrailRouter();
      for (String id : ids) {
        MessageTrail t = new MessageTrail(parseHex(id), rows.get(id).topic());
        router.add(t);
        trails.get(id).put(n.node(), t);
      }
      try (JournalSource s = JournalSource.open(dir)) {
        router.read(s);
      } catch (ReplayException e) {
        if (!options.skipBad()) {
          throw e;
        }
      }
    }
    Map<String, List<Anomaly>> anomalies = new HashMap<>();
    for (Anomaly a : report.anomalies()) {
      anomalies.computeIfAbsent(a.messageId(), k -> new ArrayList<>()).add(a);
    }
    Map<String, Explanation> out = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      out.put(
          id,
          new StoryTeller(
                  report,
                  rows.get(id),
                  trails.get(id),
                  anomalies.getOrDefault(id, List.of()),
                  options)
              .tell());
    }
    return out;
  }

  private static byte[] parseHex(String hex) {
    if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch(MessageExplain::isHex)) {
      throw new IllegalArgumentException("not a hex message id: " + hex);
    }
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return b;
  }

  private static boolean isHex(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
  }

  static String route(ReplayReport.Delivery d, MessageTrail t) {
    return d.route();
  }
}
