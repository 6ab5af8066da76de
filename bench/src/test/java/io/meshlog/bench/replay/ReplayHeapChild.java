package io.meshlog.bench.replay;

import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM of {@link ReplayHeapIT}: analyses the data directories given as arguments under the
 * heap its command line sets, and prints one line {@code RESULT events messages deliveries
 * duplicates anomalies liveBytes maxHeapBytes}. An OutOfMemoryError ends it with a non-zero exit.
 */
public final class ReplayHeapChild {
  private ReplayHeapChild() {}

  public static void main(String[] args) {
    List<Path> dirs = new ArrayList<>();
    for (String a : args) {
      dirs.add(Path.of(a));
    }
    try (HeapWatch watch = new HeapWatch()) {
      ReplayReport r = ReplayAnalysis.analyze(dirs, ReplayOptions.defaults());
      long live = watch.maxLiveBytes();
      long events = r.nodes().stream().mapToLong(ReplayReport.NodeSummary::events).sum();
      long anomalies = r.summary().anomalies().values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(
          "RESULT %d %d %d %d %d %d %d%n",
          events,
          r.summary().messages(),
          r.summary().deliveries(),
          r.summary().duplicateReceipts(),
          anomalies,
          live,
          Runtime.getRuntime().maxMemory());
    }
  }
}
