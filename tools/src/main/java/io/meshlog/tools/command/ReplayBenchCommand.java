package io.meshlog.tools.command;

import io.meshlog.bench.replay.ReplayBenchmark;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import io.meshlog.tools.report.ReplayJsonWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench replay}: the replay analysis over N journals written for the run, beside a
 * plain read of the same journals ({@link ReplayBenchmark}). Exit 0 when every self-check passed (1
 * when one failed; with {@code --strict}, 4 when the 3M events/s or 512 MiB target was missed).
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replay analysis of N journals, beside a plain read of the same journals.")
final class ReplayBenchCommand implements Callable<Integer> {

  /** Events/s the analysis must reach, heap it may use (issue targets, for 10 x 1M events). */
  static final double TARGET_EVENTS_PER_SECOND = 3_000_000;

  static final double TARGET_HEAP_MIB = 512;

  /**
   * What {@code replay --format json} does with the report, timed with the analysis: every message,
   * anomaly and summary line encoded, into a writer that discards them (not the terminal's speed).
   */
  static final java.util.function.Consumer<ReplayReport> JSON_OUTPUT =
      report -> {
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        ReplayJsonWriter.write(report, ReplayOptions.defaults(), Long.MAX_VALUE, sink);
        sink.flush();
      };

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScratchDirOption scratch;

  @Option(names = "--journals", defaultValue = "10", description = "Journals (nodes).")
  int journals;

  @Option(
      names = "--events",
      defaultValue = "1000000",
      description = "Events per journal (about 5 per message); ignored with --messages.")
  long events;

  @Option(
      names = "--messages",
      description = "Messages instead of --events: each journal holds about 5 events per message.")
  Integer messages;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (min/median/max).")
  int runs;

  @Option(names = "--strict", description = "Exit 4 when a target is not met.")
  boolean strict;

  @Option(
      names = "--scaling",
      description =
          "Instead of one run: the scaling table, 1, 10 and 50 journals x 10^4, 10^5 and 10^6"
              + " messages, one line each (cells above --max-events are listed as skipped).")
  boolean scaling;

  @Option(
      names = "--max-events",
      defaultValue = "12000000",
      description = "With --scaling: skip cells of more events than this over all journals.")
  long maxEvents;

  @CommandLine.Mixin BenchRunOptions run;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long m = messages != null ? messages : events / ReplayBenchmark.EVENTS_PER_MESSAGE;
    if (journals < 1 || m < 1 || m > Integer.MAX_VALUE || runs < 1) {
      throw CommandFailure.usage(
          "--journals, --runs and the messages (--events / 5) must be positive");
    }
    Path work = scratch.parent();
    try {
      int warmup = warmup();
      if (scaling) {
        return scaling(out, work);
      }
      ReplayBenchmark.Figures f =
          ReplayBenchmark.run(
              new ReplayBenchmark.Settings(work, journals, (int) m, warmup, runs, JSON_OUTPUT));
      boolean met =
          f.analysisMin() >= TARGET_EVENTS_PER_SECOND && f.peakHeapMiB() <= TARGET_HEAP_MIB;
      if (run.json()) {
        BenchReport.json(out, "replay", "analysis", f);
      } else {
        out.println(f);
        out.printf(
            java.util.Locale.ROOT,
            "  target end to end (analysis and JSON output) >= 3M events/s (minimum of the timed runs)"
                + " with heap <= 512 MiB: %s%n",
            met ? "MET" : "NOT MET");
        out.flush();
      }
      return strict && !met ? ExitCode.TARGET_MISSED : ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage());
    }
  }

  /** One run per cell of journals x messages, each printed as soon as it is measured. */
  /**
   * Untimed rounds before the timed ones: one whole round over the same journals, so that the JIT
   * and the heap settle on the work that is measured; none with {@code --no-warmup}.
   */
  private int warmup() {
    return run.noWarmup ? 0 : 1;
  }

  private int scaling(PrintWriter out, Path work) {
    if (!run.json()) {
      out.printf(
          java.util.Locale.ROOT,
          "replay scaling, %d runs per cell after %d untimed (medians; ratio = analysis / plain"
              + " read, same run)%n%s%n",
          runs,
          warmup(),
          ReplayBenchmark.Figures.rowHeader());
      out.flush();
    }
    for (int j : ReplayBenchmark.SCALING_JOURNALS) {
      for (int msgs : ReplayBenchmark.SCALING_MESSAGES) {
        long total = ReplayBenchmark.events(j, msgs);
        if (total > maxEvents) {
          if (!run.json()) {
            out.printf(
                java.util.Locale.ROOT,
                "%8d %10d %12d   skipped: more than --max-events %d%n",
                j,
                msgs,
                total,
                maxEvents);
            out.flush();
          }
          continue;
        }
        ReplayBenchmark.Figures f =
            ReplayBenchmark.run(
                new ReplayBenchmark.Settings(work, j, msgs, warmup(), runs, JSON_OUTPUT));
        if (run.json()) {
          BenchReport.json(out, "replay", "scaling", f);
        } else {
          out.println(f.row());
        }
        out.flush();
      }
    }
    return ExitCode.OK;
  }
}
