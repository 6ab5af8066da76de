package io.meshlog.tools.command;

import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalException;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.JournalDump;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code meshlog journal dump}: prints journal events, one line each. See docs/journal.md. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = "Print journal events, one per line (text or JSON lines).")
public final class JournalDumpCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Option(
      names = "--from-index",
      defaultValue = "-1",
      description = "First journal index to print.")
  long fromIndex;

  @Option(
      names = "--from-time",
      description = "First time to print, ISO-8601 (2026-11-21T20:00:00Z).")
  String fromTime;

  @Option(names = "--follow", description = "Keep printing new events until interrupted.")
  boolean follow;

  @Option(names = "--type", split = ",", description = "Only these event types (comma separated).")
  List<String> types = List.of();

  @Option(names = "--topic", description = "Only events of this topic.")
  String topic;

  @Option(
      names = "--peer",
      description = "Only events whose peer or origin is this peer id (base58).")
  String peer;

  @Option(names = "--format", defaultValue = "text", description = "text or json (JSON lines).")
  String format;

  @Option(names = "--with-data", description = "Include message bytes (base64).")
  boolean withData;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Stop after this many events; 0 = no limit.")
  long limit;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JournalDump.Options options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    try {
      JournalDump.dump(options, out, err, () -> Thread.currentThread().isInterrupted());
      return ExitCode.OK;
    } catch (JournalException e) {
      // documented: 1, journal missing or damaged (docs/journal.md), not the handler's 3
      throw CommandFailure.failed(e.getMessage());
    }
  }

  JournalDump.Options options() {
    Set<EventType> wanted = EnumSet.noneOf(EventType.class);
    for (String t : types) {
      try {
        wanted.add(EventType.valueOf(t.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--type " + t + ": unknown event type", e);
      }
    }
    Instant from = null;
    if (fromTime != null) {
      try {
        from = Instant.parse(fromTime);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--from-time " + fromTime + ": not an ISO-8601 instant", e);
      }
    }
    JournalDump.Format f;
    try {
      f = JournalDump.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format " + format + ": must be text or json", e);
    }
    if (peer != null) {
      try {
        io.meshlog.eventlog.Base58.decode(peer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--peer " + peer + ": not a base58 peer id", e);
      }
    }
    return new JournalDump.Options(
        dataDir.path().resolve("journal"),
        fromIndex,
        from,
        wanted,
        topic,
        peer,
        f,
        withData,
        limit,
        follow);
  }
}
