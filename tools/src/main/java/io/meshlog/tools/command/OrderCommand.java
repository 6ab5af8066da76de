package io.meshlog.tools.command;

import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.TopicOrderReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog order}: a node's view of one topic's order (docs/reconciliation.md). Reads the
 * projections without a lock and the journal read-only, so it works on a running node's directory;
 * says on stderr how many journal events the projections have not applied yet.
 *
 * <p>Exit codes: 0 printed (also no rows: an unknown topic); 3 no readable projections or journal.
 */
@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description =
        "Print a topic's order as this node holds it: final rows by seq, then provisional ones.")
public final class OrderCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(names = "--topic", required = true, description = "The topic.")
  String topic;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  TopicOrderReport.Format format;

  @Option(
      names = "--from-seq",
      defaultValue = "0",
      description = "First final seq to print (seqs keep increasing across epochs).")
  long fromSeq;

  @Override
  public Integer call() {
    Path dir = dataDir.path();
    PrintWriter err = spec.commandLine().getErr();
    try (Projections projections = Projections.openReadOnly(dir.resolve("projections"));
        JournalReader journal = Journals.openReader(dir.resolve("journal"))) {
      long lag = TopicOrderReport.lag(projections, journal);
      err.println(
          "meshlog order: projections lag the journal by "
              + lag
              + (lag == 1 ? " event" : " events"));
      err.flush();
      TopicOrderReport.write(
          projections, journal, topic, fromSeq, format, spec.commandLine().getOut());
      return ExitCode.OK;
    } // ProjectionException, JournalException: ExitCode.UNREADABLE from the one handler
  }
}
