package io.meshlog.tools.command;

import io.meshlog.bench.sequencer.SequencerBenchmark;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench sequencer}: messages finalized per second by a directory, for a backlog
 * submitted after an outage or for nodes publishing live ({@link SequencerBenchmark}), over {@code
 * --rounds} rounds after a warm-up round, with min / median / max. Exit 0 when every round's check
 * passed (one seq per message, no seq twice, every node holding the directory's positions), 1 when
 * one failed.
 */
@Command(
    name = "sequencer",
    mixinStandardHelpOptions = true,
    description = "Messages finalized per second by a directory (sequencer) for publishing nodes.")
final class SequencerBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScratchDirOption scratch;

  @Option(
      names = "--mode",
      defaultValue = "backlog",
      description =
          "backlog: messages published while the directory is down, then submitted to it;"
              + " live: published with it up, as fast as the mesh takes them"
              + " (default: ${DEFAULT-VALUE}).")
  SequencerBenchmark.Mode mode;

  @Option(names = "--messages", defaultValue = "10000", description = "Messages per round.")
  int messages;

  @Option(names = "--nodes", defaultValue = "2", description = "Publishing nodes.")
  int nodes;

  @Option(names = "--window", defaultValue = "256", description = "Publishes in flight per node.")
  int window;

  @Option(
      names = "--hold-back",
      defaultValue = "100ms",
      description = "reconciliation.holdBack of the directory (default: ${DEFAULT-VALUE}).")
  String holdBack;

  @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds.")
  int rounds;

  @Mixin BenchRunOptions run;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (messages < nodes || nodes < 1 || window < 1 || rounds < 1) {
      throw CommandFailure.usage("counts must be positive, at least one message per node");
    }
    Path parent = scratch.parent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "meshlog-sequencer-bench-");
    try {
      SequencerBenchmark.Settings s =
          new SequencerBenchmark.Settings(mode, messages, nodes, window, holdBack);
      if (!run.noWarmup) { // JIT warm-up, not counted
        SequencerBenchmark.Figures w = SequencerBenchmark.run(s, work.resolve("warmup"));
        if (!run.json()) {
          out.println("warm-up: " + w);
          out.flush();
        }
      }
      double[] rates = new double[rounds];
      double[] converged = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        SequencerBenchmark.Figures f = SequencerBenchmark.run(s, work.resolve("round-" + r));
        if (run.json()) {
          BenchReport.json(out, "sequencer", "round-" + r, f);
        } else {
          out.println("round " + r + ": " + f);
          out.flush();
        }
        rates[r] = f.finalizedPerSecond();
        converged[r] = f.convergedSeconds();
      }
      if (run.json()) {
        return ExitCode.OK;
      }
      out.printf(
          "finalized/s  %s  (%s, %d messages, %d nodes, hold-back %s)%n",
          DirectoryBenchCommand.summary(rates, "%.0f"),
          mode,
          messages / nodes * nodes,
          nodes,
          holdBack);
      if (mode == SequencerBenchmark.Mode.backlog) {
        out.println("converged (s) " + DirectoryBenchCommand.summary(converged, "%.2f"));
      }
      out.flush();
      return ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage()); // a self-check failed
    } finally {
      ScratchDirOption.deleteRecursively(work);
    }
  }
}
