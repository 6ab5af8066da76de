package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Base58;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one or many nodes' journals and explains message ordering across them: the library behind
 * {@code meshlog replay}. See docs/replay.md for what every number means.
 *
 * <pre>
 *   data dirs ─► JournalSource (whose journal?) ─► JournalMerge (one pass, by time)
 *                                                      │
 *                                                      ▼
 *                       ReplayCollector: per message state, per node intervals and orders
 *                                                      │ after the pass
 *        ClockSkew ─► DeliveryJudge (lost, late, duplicate) + OrderAnalysis (fifo, causal,
 *                                          divergence) ─► ReportBuilder ─► ReplayReport
 * </pre>
 *
 * <p>Pure: reads no clock, and the same journals give the same report whatever order the
 * directories are given in. Not thread-safe; each call is independent.
 */
public final class ReplayAnalysis {
  private ReplayAnalysis() {}

  /**
   * Analyses the journals of {@code dataDirs} (each a node's data directory with its journal in
   * {@code journal/}).
   *
   * @throws ReplayException naming the directory when one is unreadable and {@code skipBad} is off,
   *     or when two directories hold the same node's journal
   */
  public static ReplayReport analyze(List<Path> dataDirs, ReplayOptions options) {
    List<ReplayReport.Skipped> skipped = new ArrayList<>();
    List<JournalSource> sources = open(dataDirs, options.skipBad(), skipped);
    try {
      sources.sort(Comparator.comparing(s -> Base58.encode(s.peerId)));
      String[] names = new String[sources.size()];
      for (int n = 0; n < sources.size(); n++) {
        sources.get(n).node = n;
        names[n] = Base58.encode(sources.get(n).peerId);
      }
      ReplayCollector collector = new ReplayCollector(sources.size(), options.topics());
      for (JournalMerge.Cut cut : JournalMerge.runInPlace(sources, collector, options.skipBad())) {
        skipped.add(
            new ReplayReport.Skipped(
                cut.source().dataDir.toString(),
                cut.failure().getMessage(),
                cut.source().eventsRead));
      }
      collector.finish();
      int[] nodeOfPeer = new int[collector.peers.size()];
      Arrays.fill(nodeOfPeer, -1);
      for (JournalSource s : sources) {
        int p = collector.peers.find(s.peerId);
        if (p >= 0) {
          nodeOfPeer[p] = s.node;
        }
      }
      ClockSkew.Estimate clocks =
          options.skewCorrection()
              ? ClockSkew.estimate(collector.messages, sources.size(), nodeOfPeer)
              : ClockSkew.Estimate.none(sources.size());
      skipped.sort(Comparator.comparing(ReplayReport.Skipped::dataDir));
      return new ReportBuilder(collector, sources, names, nodeOfPeer, clocks, options)
          .build(skipped);
    } finally {
      for (JournalSource s : sources) {
        s.close();
      }
    }
  }

  private static List<JournalSource> open(
      List<Path> dataDirs, boolean skipBad, List<ReplayReport.Skipped> skipped) {
    List<JournalSource> sources = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    try {
      for (Path dir : dataDirs) {
        JournalSource s;
        try {
          s = JournalSource.open(dir);
        } catch (ReplayException e) {
          if (!skipBad) {
            throw e;
          }
          skipped.add(new ReplayReport.Skipped(dir.toString(), e.getMessage(), 0));
          continue;
        }
        Path before = seen.putIfAbsent(Base58.encode(s.peerId), dir);
        if (before != null) {
          s.close();
          throw new ReplayException(
              dir,
              "holds the journal of node "
                  + Base58.encode(s.peerId)
                  + ", as "
                  + before
                  + " does: give each node once",
              null);
        }
        sources.add(s);
      }
      return sources;
    } catch (RuntimeException e) {
      for (JournalSource s : sources) {
        s.close();
      }
      throw e;
    }
  }
}
