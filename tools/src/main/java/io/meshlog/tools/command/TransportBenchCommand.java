package io.meshlog.tools.command;

import io.meshlog.bench.transport.TransportBenchmark;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench transport}: connection set-up and stream throughput between two hosts over
 * loopback ({@link TransportBenchmark}). Exit 0 when the run's byte counts were right, 1 when not.
 */
@Command(
    name = "transport",
    mixinStandardHelpOptions = true,
    description = "Connection set-up and 1- and N-stream throughput between two hosts, loopback.")
final class TransportBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--connections", defaultValue = "200", description = "Sequential dials.")
  int connections;

  @Option(
      names = "--stream-bytes",
      defaultValue = "268435456",
      description = "Bytes sent per throughput phase.")
  long streamBytes;

  @Option(names = "--chunk-bytes", defaultValue = "65536", description = "Bytes per write.")
  int chunkBytes;

  @Option(names = "--streams", defaultValue = "8", description = "Concurrent streams.")
  int streams;

  @CommandLine.Mixin BenchRunOptions run;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (connections < 1 || streamBytes < streams || chunkBytes < 1 || streams < 1) {
      throw CommandFailure.usage("every size must be positive");
    }
    try {
      if (!run.noWarmup) {
        TransportBenchmark.run(new TransportBenchmark.Settings(50, 32L << 20, chunkBytes, streams));
      }
      TransportBenchmark.Figures f =
          TransportBenchmark.run(
              new TransportBenchmark.Settings(connections, streamBytes, chunkBytes, streams));
      if (run.json()) {
        BenchReport.json(out, "transport", "loopback", f);
      } else {
        out.println(f);
      }
      out.flush();
      return ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage());
    }
  }
}
