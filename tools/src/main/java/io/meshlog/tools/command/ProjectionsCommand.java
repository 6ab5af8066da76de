package io.meshlog.tools.command;

import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.VerifyReport;
import io.meshlog.tools.process.ExitCode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code meshlog projections rebuild|verify}: maintenance of {@code <data-dir>/projections}.
 *
 * <p>Exit codes ({@link ExitCode}): 0 done (verify: identical); 1 verify found a difference; 3 the
 * journal or the projections cannot be read (a node holding the directory, a newer schema...).
 */
@Command(
    name = "projections",
    mixinStandardHelpOptions = true,
    description = "Rebuild or verify the RocksDB projections of a data directory.",
    subcommands = {ProjectionsCommand.Rebuild.class, ProjectionsCommand.Verify.class})
public final class ProjectionsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Rebuilds the projections from the journal alone, swapping the result in when complete. */
  @Command(
      name = "rebuild",
      mixinStandardHelpOptions = true,
      description =
          "Rebuild <data-dir>/projections from <data-dir>/journal (the node must be stopped);"
              + " the peer registry, which outlives journal retention, is kept as it is.")
  static final class Rebuild implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() {
      Path dir = EventLog.projectionsDir(dataDir.path());
      try (JournalReader journal = Journals.openReader(EventLog.journalDir(dataDir.path()))) {
        long applied = Projections.rebuild(dir, ProjectionConfig.defaults(), journal);
        spec.commandLine()
            .getOut()
            .printf("rebuilt %s up to journal index %d%n", dir, applied)
            .flush();
        return ExitCode.OK;
      } // ProjectionException, JournalException: ExitCode.UNREADABLE from the one handler
    }
  }

  /** Rebuilds into a scratch directory and compares every view with the live projections. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Rebuild from the journal into a scratch directory and compare every view with"
              + " <data-dir>/projections; reports the first difference. The peer registry is"
              + " not a view and not compared.")
  static final class Verify implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin DataDirOption dataDir;

    @Override
    public Integer call() {
      Path dir = EventLog.projectionsDir(dataDir.path());
      try (JournalReader journal = Journals.openReader(EventLog.journalDir(dataDir.path()))) {
        VerifyReport report = Projections.verify(dir, ProjectionConfig.defaults(), journal);
        if (report.identical()) {
          spec.commandLine()
              .getOut()
              .printf(
                  "identical: %s equals a rebuild from the journal up to index %d%n",
                  dir, report.appliedIndex())
              .flush();
          return ExitCode.OK;
        }
        spec.commandLine()
            .getOut()
            .printf(
                "DIFFERENT at journal index %d: %s%n",
                report.appliedIndex(), report.firstDifference())
            .flush();
        return ExitCode.FAILED;
      } // ProjectionException, JournalException: ExitCode.UNREADABLE from the one handler
    }
  }
}
