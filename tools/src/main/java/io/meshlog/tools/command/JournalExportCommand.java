package io.meshlog.tools.command;

import io.meshlog.eventlog.JournalException;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.JournalExport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog journal export}: a consistent copy of a time window of a (running) node's journal,
 * as a new data directory that {@code meshlog replay} reads ({@link JournalExport}). See
 * docs/journal.md.
 *
 * <p>Exit codes: 0 exported; 1 the journal cannot be read or the copy cannot be written; 2 bad
 * options (including an OUT that exists and is not an empty directory).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Copy the events of a time window of a node's journal (running or not) into a new data"
            + " directory that replay reads.")
public final class JournalExportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(
      names = "--from",
      required = true,
      description = "First time of the window: ISO-8601 or epoch ns.")
  String from;

  @Option(
      names = "--to",
      required = true,
      description = "Last time of the window (inclusive): ISO-8601 or epoch ns.")
  String to;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The new data directory to write (must not exist, or be empty).")
  Path out;

  @Override
  public Integer call() {
    long fromNanos;
    long toNanos;
    try {
      fromNanos = ReplayCommand.time("--from", from);
      toNanos = ReplayCommand.time("--to", to);
      if (fromNanos > toNanos) {
        throw new IllegalArgumentException("--from " + from + " is after --to " + to);
      }
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    JournalExport.Result r;
    try {
      r = JournalExport.export(dataDir.path().resolve("journal"), fromNanos, toNanos, out);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    } catch (JournalException | UncheckedIOException e) {
      throw CommandFailure.failed(e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "exported %d events (source indexes %s, preamble %d) of %d read to %s%n",
            r.eventsWritten(),
            r.firstIndex() < 0 ? "none" : r.firstIndex() + ".." + r.lastIndex(),
            r.preamble(),
            r.eventsRead(),
            r.out());
    return ExitCode.OK;
  }
}
