package io.meshlog.tools.command;

import io.meshlog.node.discovery.Registration;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.DirectoryPeersReport;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog directory peers --data-dir DIR --topic T [--format text|json]}: who is registered
 * in a topic at a directory, now, from its journal; works on a running or a stopped directory.
 *
 * <p>Exit codes: 0 printed (an empty topic too); 3 no readable journal in the data directory.
 */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    description = "Print the peers registered in a topic at a directory (from its journal).")
public final class DirectoryPeersCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(names = "--topic", required = true, description = "The topic (rendezvous namespace).")
  String topic;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DirectoryPeersReport.Format format;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    List<Registration> rows = DirectoryPeersReport.read(dataDir.path(), topic, nowNanos);
    DirectoryPeersReport.write(topic, rows, nowNanos, format, spec.commandLine().getOut());
    return ExitCode.OK; // JournalException: ExitCode.UNREADABLE from the one handler
  }
}
