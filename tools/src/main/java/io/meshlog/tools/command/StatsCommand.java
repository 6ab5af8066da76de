package io.meshlog.tools.command;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.StatsReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog stats}: the peer and topic tables of a data directory's projections. Reads without
 * a lock, so it works on a running node's directory.
 *
 * <p>Exit codes: 0 printed; 1 the requested peer or topic is unknown; 3 no readable projections.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Print peer and topic statistics from <data-dir>/projections.")
public final class StatsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  StatsReport.Format format;

  @Option(names = "--peer", description = "Only this peer (base58 peer id).")
  String peer;

  @Option(names = "--topic", description = "Only this topic.")
  String topic;

  @Override
  public Integer call() {
    Path dir = dataDir.path().resolve("projections");
    try (Projections projections = Projections.openReadOnly(dir)) {
      List<PeerStats> peers;
      List<TopicStats> topics;
      if (peer == null && topic == null) {
        peers = projections.peers();
        topics = projections.topics();
      } else {
        peers = peer == null ? List.of() : projections.peer(decode(peer)).stream().toList();
        topics = topic == null ? List.of() : projections.topic(topic).stream().toList();
        if (peer != null && peers.isEmpty()) {
          throw CommandFailure.failed("no such peer in " + dir + ": " + peer);
        }
        if (topic != null && topics.isEmpty()) {
          throw CommandFailure.failed("no such topic in " + dir + ": " + topic);
        }
      }
      StatsReport.write(projections, peers, topics, format, spec.commandLine().getOut());
      return ExitCode.OK;
    } // ProjectionException: ExitCode.UNREADABLE from the one handler
  }

  private byte[] decode(String base58) {
    try {
      return Base58.decode(base58);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--peer: not base58: " + base58);
    }
  }
}
