package io.meshlog.tools.command;

import io.meshlog.tools.report.BenchReport;
import picocli.CommandLine.Option;

/** The options every network benchmark command shares: warm-up and output format. */
final class BenchRunOptions {

  @Option(names = "--no-warmup", description = "Measure without a JIT warm-up run first.")
  boolean noWarmup;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  BenchReport.Format format;

  boolean json() {
    return format == BenchReport.Format.json;
  }
}
