package io.meshlog.tools;

import io.meshlog.bench.eventlog.JournalBench;
import io.meshlog.eventlog.JournalConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench}: benchmarks the journal (raw append, pipeline, read, latency) in one run
 * and prints each figure beside its target. Exit code 0 when every self-check passed (1 when a
 * check failed; with {@code --strict}, 3 when a target was missed).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark the journal pipeline on this machine's disk.")
public final class BenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      description =
          "Directory on the disk to measure (a temp dir is made under it). Default:"
              + " java.io.tmpdir.")
  Path dataDir;

  @Option(
      names = "--events",
      defaultValue = "3000000",
      description = "Events per throughput phase.")
  long events;

  @Option(
      names = "--warmup",
      defaultValue = "1000000",
      description = "Warm-up events before measuring.")
  long warmup;

  @Option(names = "--rate", defaultValue = "100000", description = "Events/s of the latency phase.")
  int rate;

  @Option(
      names = "--latency-seconds",
      defaultValue = "15",
      description = "Length of the latency phase.")
  int latencySeconds;

  @Option(names = "--ring-size", defaultValue = "65536", description = "journal.ringSize.")
  int ringSize;

  @Option(
      names = "--wait-strategy",
      defaultValue = "sleeping",
      description = "journal.waitStrategy.")
  String waitStrategy;

  @Option(
      names = "--preallocate-bytes",
      defaultValue = "67108864",
      description = "journal.preallocateBytes; 0 turns preallocation off.")
  long preallocateBytes;

  @Option(names = "--strict", description = "Exit 3 when a target is not met.")
  boolean strict;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"));
    JournalBench.Options options;
    try {
      options =
          new JournalBench.Options(
              dir,
              events,
              warmup,
              rate,
              Duration.ofSeconds(latencySeconds),
              ringSize,
              JournalConfig.WaitStrategy.valueOf(
                  waitStrategy.toUpperCase(Locale.ROOT).replace('-', '_')),
              preallocateBytes);
      JournalConfig.builder(dir).ringSize(ringSize).preallocateBytes(preallocateBytes).build();
    } catch (IllegalArgumentException e) {
      err.println("meshlog bench: " + e.getMessage());
      return 2;
    }
    try {
      List<JournalBench.Figure> figures = new JournalBench(options, out).run();
      boolean allMet = figures.stream().allMatch(JournalBench.Figure::met);
      out.println(allMet ? "all targets met" : "some targets NOT met");
      return strict && !allMet ? 3 : 0;
    } catch (IllegalStateException e) {
      err.println("meshlog bench: " + e.getMessage());
      return 1;
    }
  }
}
