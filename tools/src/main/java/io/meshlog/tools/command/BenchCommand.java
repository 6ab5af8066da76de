package io.meshlog.tools.command;

import io.meshlog.bench.eventlog.JournalBench;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code meshlog bench [journal|transport|gossip|directory|replay|kafka|sequencer]}: the benchmarks
 * of {@code bench/}, each checking its own result. Bare {@code meshlog bench} is {@code meshlog
 * bench journal}: the journal (raw append, pipeline, read, projection apply, latency) in one run,
 * each figure beside its target. Exit code 0 when every self-check passed (1 when a check failed;
 * with {@code --strict}, 4 when a target was missed).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark the journal pipeline on this machine's disk (or transport, gossip).",
    subcommands = {
      BenchCommand.BenchJournal.class,
      TransportBenchCommand.class,
      GossipBenchCommand.class,
      DirectoryBenchCommand.class,
      RegistryBenchCommand.class,
      ReplayBenchCommand.class,
      KafkaBenchCommand.class,
      SequencerBenchCommand.class
    })
public final class BenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin JournalBenchOptions options;

  @Override
  public Integer call() throws InterruptedException {
    return runJournal(spec, options);
  }

  /** {@code meshlog bench journal}: the same run as bare {@code meshlog bench}. */
  @Command(
      name = "journal",
      mixinStandardHelpOptions = true,
      description =
          "Raw Chronicle append, pipeline, read, projection apply and latency, beside targets.")
  static final class BenchJournal implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin JournalBenchOptions options;

    @Override
    public Integer call() throws InterruptedException {
      return runJournal(spec, options);
    }
  }

  static int runJournal(CommandLine.Model.CommandSpec spec, JournalBenchOptions o)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    JournalBench.Options options;
    try {
      options = o.toOptions();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    boolean json = o.format == BenchReport.Format.json;
    try {
      PrintWriter progress = json ? new PrintWriter(Writer.nullWriter()) : out;
      List<JournalBench.Figure> figures = new JournalBench(options, progress).run();
      boolean allMet = figures.stream().allMatch(JournalBench.Figure::met);
      if (json) {
        for (JournalBench.Figure f : figures) {
          BenchReport.json(out, "journal", f.name().strip(), f);
        }
      } else {
        out.println(allMet ? "all targets met" : "some targets NOT met");
      }
      out.flush();
      return o.strict && !allMet ? ExitCode.TARGET_MISSED : ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage()); // a self-check failed
    }
  }
}
