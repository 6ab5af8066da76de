package io.meshlog.tools.command;

import io.meshlog.bench.eventlog.JournalBench;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.tools.report.BenchReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the journal benchmark, shared by {@code meshlog bench} and {@code meshlog bench
 * journal} (a picocli mixin).
 */
final class JournalBenchOptions {

  @Mixin ScratchDirOption scratch;

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
      names = "--latency-wait-strategies",
      split = ",",
      description =
          "journal.waitStrategy values the latency phase runs with, one run each (comma list;"
              + " default: --wait-strategy).")
  java.util.List<String> latencyWaitStrategies;

  @Option(
      names = "--preallocate-bytes",
      defaultValue = "67108864",
      description = "journal.preallocateBytes; 0 turns preallocation off.")
  long preallocateBytes;

  @Option(names = "--strict", description = "Exit 4 when a target is not met.")
  boolean strict;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  BenchReport.Format format;

  /**
   * The benchmark's options.
   *
   * @throws IllegalArgumentException naming the bad setting
   */
  JournalBench.Options toOptions() {
    Path dir = scratch.parent();
    JournalBench.Options options =
        new JournalBench.Options(
            dir,
            events,
            warmup,
            rate,
            Duration.ofSeconds(latencySeconds),
            ringSize,
            strategy(waitStrategy),
            preallocateBytes,
            latencyWaitStrategies == null || latencyWaitStrategies.isEmpty()
                ? java.util.List.of(strategy(waitStrategy))
                : latencyWaitStrategies.stream().map(JournalBenchOptions::strategy).toList());
    JournalConfig.builder(dir).ringSize(ringSize).preallocateBytes(preallocateBytes).build();
    return options;
  }

  private static JournalConfig.WaitStrategy strategy(String name) {
    try {
      return JournalConfig.WaitStrategy.valueOf(
          name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid wait strategy = "
              + name
              + ": expected one of "
              + java.util.Arrays.toString(JournalConfig.WaitStrategy.values()),
          e);
    }
  }
}
