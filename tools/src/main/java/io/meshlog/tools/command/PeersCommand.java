package io.meshlog.tools.command;

import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.PeersReport;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog peers --data-dir DIR [--format text|json]}: the peer registry of a node as stored
 * in its projections and caught up with its journal, read-only; works on a running or a stopped
 * node.
 *
 * <p>Exit codes: 0 printed (an empty registry too); 3 no readable journal in the data directory.
 */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    description =
        "Print the peers a node knows (its stored peer registry, caught up with its journal).")
public final class PeersCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PeersReport.Format format;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    List<PeerRegistry.Entry> rows = PeersReport.read(dataDir.path(), nowNanos);
    PeersReport.write(rows, nowNanos, format, spec.commandLine().getOut());
    return ExitCode.OK; // JournalException: ExitCode.UNREADABLE from the one handler
  }
}
