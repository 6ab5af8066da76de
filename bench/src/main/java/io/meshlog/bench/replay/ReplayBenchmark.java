package io.meshlog.bench.replay;

import io.meshlog.bench.eventlog.ReadBench;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * How fast {@code meshlog replay}'s analysis runs over many journals, side by side with a plain
 * read of the same journals in the same run.
 *
 * <pre>
 *   write N journals through the real journal (a healthy gossip run, 5 records per message per node)
 *   then, R times:  plain read of every journal (EventView, every field folded)   events/s
 *                   ReplayAnalysis.analyze over all of them                        events/s, heap
 * </pre>
 *
 * <p>Each message is published by one node (PUBLISH and two RPCs out) and delivered once by every
 * other (an RPC in, the DELIVER, an RPC out), each then receiving it once more (an RPC in and a
 * DUPLICATE): five events per message in every journal. The run checks its own result: every read
 * sees every event, and the analysis finds every message, every delivery and no anomaly (the
 * journals are healthy by construction); a fast wrong run throws {@link IllegalStateException}. Not
 * thread-safe; one run at a time.
 */
public final class ReplayBenchmark {

  /** Records each node journals per message (see the class comment). */
  public static final int EVENTS_PER_MESSAGE = 5;

  static final String TOPIC = "bench/replay";
  private static final long T0 = 1_763_000_000_000_000_000L;
  private static final long DELAY_STEP = 20_000;

  /**
   * What to run.
   *
   * @param workDir where the journals are written (a temp dir under it, deleted afterwards)
   * @param journals nodes, one journal each
   * @param messages messages; each journal then holds about 5 x messages events
   * @param runs timed repetitions of the read and the analysis
   * @param output writes the report as the command would (timed with the analysis: end to end);
   *     null times the analysis alone
   */
  public record Settings(
      Path workDir,
      int journals,
      int messages,
      int warmup,
      int runs,
      Consumer<ReplayReport> output) {
    public Settings {
      if (journals < 1 || messages < 1 || runs < 1 || warmup < 0) {
        throw new IllegalArgumentException(
            "journals, messages and runs must be at least 1, warmup at least 0");
      }
    }

    /** The analysis alone, every run timed. */
    public Settings(Path workDir, int journals, int messages, int runs) {
      this(workDir, journals, messages, 0, runs, null);
    }
  }

  /**
   * The figures of one run; rates in events/s over all journals, min/median/max over the runs.
   *
   * @param ratio median analysis rate / median plain read rate
   * @param peakHeapMiB the most heap in use during any analysis (after a GC before it), garbage not
   *     yet collected included: an upper bound that grows with the heap the JVM may use
   * @param liveHeapMiB the most heap in use right after any collection during an analysis, or after
   *     a full collection at its end with the report still held: what the analysis keeps
   * @param maxHeapMiB the JVM's heap limit (-Xmx)
   * @param endToEnd the analysis figures include writing the report (as {@code replay --format
   *     json} does, to a sink that discards it): the command's time but for the terminal
   */
  public record Figures(
      int journals,
      int messages,
      long events,
      int warmup,
      int runs,
      double readMin,
      double readMedian,
      double readMax,
      double analysisMin,
      double analysisMedian,
      double analysisMax,
      double ratio,
      double peakHeapMiB,
      double liveHeapMiB,
      double maxHeapMiB,
      long deliveries,
      long duplicateReceipts,
      boolean endToEnd) {

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "replay %d journals x %,d events (%,d messages), %d runs after %d untimed:%n"
              + "  plain read   min/median/max %6.2f/%6.2f/%6.2f M events/s%n"
              + "  %-12s min/median/max %6.2f/%6.2f/%6.2f M events/s  = %.2f x read%n"
              + "  heap peak %.0f MiB (live after GC %.0f MiB) of %.0f MiB; %,d deliveries, %,d"
              + " duplicate receipts",
          journals,
          events / journals,
          messages,
          runs,
          warmup,
          readMin / 1e6,
          readMedian / 1e6,
          readMax / 1e6,
          endToEnd ? "end to end" : "analysis",
          analysisMin / 1e6,
          analysisMedian / 1e6,
          analysisMax / 1e6,
          ratio,
          peakHeapMiB,
          liveHeapMiB,
          maxHeapMiB,
          deliveries,
          duplicateReceipts);
    }

    /** Header of {@link #row()}: the scaling table. */
    public static String rowHeader() {
      return String.format(
          java.util.Locale.ROOT,
          "%8s %10s %12s %12s %12s %7s %9s %9s",
          "journals",
          "messages",
          "events",
          "read M/s",
          "analysis M/s",
          "ratio",
          "peak MiB",
          "live MiB");
    }

    /** One line of the scaling table: medians, the ratio, the heap figures. */
    public String row() {
      return String.format(
          java.util.Locale.ROOT,
          "%8d %10d %12d %12.2f %12.2f %7.2f %9.0f %9.0f",
          journals,
          messages,
          events,
          readMedian / 1e6,
          analysisMedian / 1e6,
          ratio,
          peakHeapMiB,
          liveHeapMiB);
    }
  }

  /** Journals of the scaling table ({@code meshlog bench replay --scaling}). */
  public static final int[] SCALING_JOURNALS = {1, 10, 50};

  /** Messages of the scaling table. */
  public static final int[] SCALING_MESSAGES = {10_000, 100_000, 1_000_000};

  /** Events over all journals of a run of {@code journals} x {@code messages}. */
  public static long events(int journals, int messages) {
    return journals * (3L + (long) EVENTS_PER_MESSAGE * messages) - (journals == 1 ? 1 : 0);
  }

  private ReplayBenchmark() {}

  /** Writes the journals, measures, deletes the journals. */
  public static Figures run(Settings s) {
    Path root;
    try {
      Files.createDirectories(s.workDir());
      root = Files.createTempDirectory(s.workDir(), "meshlog-replay-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<Path> dirs = write(root, s.journals(), s.messages());
      return measure(dirs, s.messages(), s.warmup(), s.runs(), s.output());
    } finally {
      deleteRecursively(root);
    }
  }

  /**
   * Measures over journals already written by {@link #write}: {@code warmup} untimed rounds (the
   * JIT compiles the read and the analysis), then {@code runs} timed ones; every round is checked.
   */
  static Figures measure(
      List<Path> dirs, int messages, int warmup, int runs, Consumer<ReplayReport> output) {
    double[] read = new double[runs];
    double[] analysis = new double[runs];
    long events = 0;
    double peak = 0;
    double live = 0;
    ReplayReport report = null;
    for (int r = -warmup; r < runs; r++) {
      boolean timed = r >= 0;
      long start = System.nanoTime();
      long n = 0;
      long sum = 0;
      for (Path dir : dirs) {
        try (JournalReader reader = Journals.openReader(dir.resolve("journal"))) {
          EventView v = new EventView();
          while (reader.next(v) >= 0) {
            sum += ReadBench.fold(v);
            n++;
          }
        }
      }
      if (timed) {
        read[r] = n * 1e9 / (System.nanoTime() - start);
      }
      check(sum != 0 || n == 0, "plain read folded nothing");
      events = n;
      report = null;
      System.gc();
      resetPeaks();
      try (HeapWatch watch = new HeapWatch()) {
        start = System.nanoTime();
        report = ReplayAnalysis.analyze(dirs, ReplayOptions.defaults());
        if (output != null) {
          output.accept(report);
        }
        long elapsed = System.nanoTime() - start;
        if (timed) {
          peak = Math.max(peak, peakHeapBytes() / (1024.0 * 1024.0));
          live = Math.max(live, watch.maxLiveBytes() / (1024.0 * 1024.0));
          analysis[r] = n * 1e9 / elapsed;
        }
      }
      long analysed = report.nodes().stream().mapToLong(ReplayReport.NodeSummary::events).sum();
      check(analysed == n, "analysis read " + analysed + " events, the plain read " + n);
      checkReport(report, dirs.size(), messages);
    }
    double[] rs = sorted(read);
    double[] as = sorted(analysis);
    return new Figures(
        dirs.size(),
        messages,
        events,
        warmup,
        runs,
        rs[0],
        rs[runs / 2],
        rs[runs - 1],
        as[0],
        as[runs / 2],
        as[runs - 1],
        as[runs / 2] / rs[runs / 2],
        peak,
        live,
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0),
        report.summary().deliveries(),
        report.summary().duplicateReceipts(),
        output != null);
  }

  private static void checkReport(ReplayReport report, int nodes, int messages) {
    ReplayReport.Summary sum = report.summary();
    check(sum.nodes() == nodes, "analysis saw " + sum.nodes() + " nodes of " + nodes);
    check(sum.messages() == messages, "analysis found " + sum.messages() + " of " + messages);
    long anomalies = sum.anomalies().values().stream().mapToLong(Long::longValue).sum();
    check(anomalies == 0, "healthy journals gave anomalies " + sum.anomalies());
    check(
        sum.duplicateReceipts() == (long) messages * nodes,
        "analysis counted " + sum.duplicateReceipts() + " duplicate receipts");
    for (AnomalyType t : AnomalyType.values()) {
      check(sum.anomalies().containsKey(t), "summary lacks the count of " + t);
    }
  }

  /**
   * Writes one journal per node under {@code root/node-N/journal}: a healthy run in which message k
   * is published by node k mod N and delivered by every other node in publish order.
   */
  public static List<Path> write(Path root, int nodes, int messages) {
    byte[][] peers = new byte[nodes][];
    for (int n = 0; n < nodes; n++) {
      peers[n] = peerId(n);
    }
    // Messages are spaced wider than the largest delay: every journal is in time order.
    long spacing = (nodes + 2) * DELAY_STEP;
    byte[] data = new byte[64];
    List<Path> dirs = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      Path dir = root.resolve("node-" + n);
      dirs.add(dir);
      JournalConfig config =
          JournalConfig.builder(dir.resolve("journal"))
              .rollCycle(JournalConfig.RollCycle.FAST_DAILY)
              .ringSize(1 << 14)
              .build();
      try (Journal journal = Journals.open(config, List.of())) {
        Event e = new Event();
        long written = 0;
        byte[] self = peers[n];
        byte[] next = peers[(n + 1) % nodes];
        publish(journal, e.clear().type(EventType.NODE_STARTED).timeNanos(T0 - 3).peer(self));
        publish(journal, e.clear().type(EventType.JOIN).timeNanos(T0 - 2).topic(TOPIC));
        written += 2;
        if (nodes > 1) {
          publish(
              journal, e.clear().type(EventType.GRAFT).timeNanos(T0 - 1).topic(TOPIC).peer(next));
          written++;
        }
        byte[] id = new byte[self.length + 8];
        for (int k = 0; k < messages; k++) {
          int origin = k % nodes;
          long published = T0 + k * spacing;
          byte[] from = peers[origin];
          System.arraycopy(from, 0, id, 0, from.length);
          java.nio.ByteBuffer.wrap(id, from.length, 8).putLong(k);
          long t;
          if (origin == n) {
            t = published;
            message(e.clear().type(EventType.PUBLISH_MESSAGE).timeNanos(t), id, from, k, data);
            publish(journal, e);
            publish(journal, rpc(e, EventType.SEND_RPC, t + 500, peers[(n + 2) % nodes], id));
          } else {
            t = published + (1 + (n - origin + nodes) % nodes) * DELAY_STEP;
            publish(journal, rpc(e, EventType.RECV_RPC, t - 2_000, from, id));
            message(e.clear().type(EventType.DELIVER_MESSAGE).timeNanos(t), id, from, k, data);
            publish(journal, e.peer(from).via(Via.MESH).value(published));
          }
          publish(journal, rpc(e, EventType.SEND_RPC, t + 1_000, next, id));
          publish(journal, rpc(e, EventType.RECV_RPC, t + 5_000, next, id));
          publish(
              journal,
              e.clear()
                  .type(EventType.DUPLICATE_MESSAGE)
                  .timeNanos(t + 6_000)
                  .peer(next)
                  .topic(TOPIC)
                  .messageId(id.clone()));
          written += EVENTS_PER_MESSAGE;
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (journal.counter(JournalCounter.EVENTS_APPENDED) < written) {
          check(System.nanoTime() < deadline, "journal " + n + " did not take every event");
          LockSupport.parkNanos(1_000_000);
        }
      }
    }
    return dirs;
  }

  private static void message(Event e, byte[] id, byte[] origin, long k, byte[] data) {
    e.topic(TOPIC)
        .messageId(id.clone())
        .origin(origin)
        .originSeqno(k)
        .lamport(k + 1)
        .size(data.length)
        .data(data);
  }

  private static Event rpc(Event e, EventType type, long time, byte[] peer, byte[] id) {
    e.clear()
        .type(type)
        .timeNanos(time)
        .peer(peer)
        .size(120)
        .direction(type == EventType.RECV_RPC ? Direction.INBOUND : Direction.OUTBOUND)
        .rpcCount(RpcPart.PUBLISH, 1);
    e.addRpcId(RpcPart.PUBLISH, id);
    return e;
  }

  private static void publish(Journal journal, Event e) {
    journal.sink().publish(e);
  }

  /** An Ed25519-style peer id (identity multihash of a protobuf public key), distinct per node. */
  static byte[] peerId(int n) {
    byte[] id = new byte[38];
    byte[] prefix = {0, 36, 8, 1, 18, 32};
    System.arraycopy(prefix, 0, id, 0, prefix.length);
    for (int i = prefix.length; i < id.length; i++) {
      id[i] = (byte) (n * 31 + i * 7 + (n >> 8));
    }
    id[id.length - 1] = (byte) n;
    id[id.length - 2] = (byte) (n >> 8);
    return id;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment. */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static double[] sorted(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark self-check failed: " + what);
    }
  }

  private static void deleteRecursively(Path root) {
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
