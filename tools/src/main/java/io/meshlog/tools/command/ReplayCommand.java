package io.meshlog.tools.command;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.MessageExplain;
import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayException;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.ReplayCsvWriter;
import io.meshlog.tools.report.ReplayHtmlWriter;
import io.meshlog.tools.report.ReplayJsonWriter;
import io.meshlog.tools.report.ReplayTextWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog replay}: reads one or many nodes' journals and explains message ordering across
 * them. The analysis is {@link ReplayAnalysis}; this class parses options and picks a writer. See
 * docs/replay.md.
 *
 * <p>Exit codes: 0 analysed (anomalies or not); 1 a data directory is unreadable (without {@code
 * --skip-bad}); 2 bad options.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    subcommands = {ReplayExplainCommand.class},
    description =
        "Merge nodes' journals and explain message ordering: per-message delivery tables, clock"
            + " offsets, and the anomalies lost, duplicate-delivery, fifo-inversion,"
            + " causal-inversion, order-divergence and late, each with its witnesses.")
public final class ReplayCommand implements Callable<Integer> {

  /** Output formats. */
  public enum Format {
    text,
    json,
    csv
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DataDirsOption dataDirs;

  @CommandLine.Mixin KafkaSourceOptions kafka;

  @Option(names = "--topic", description = "Only this topic (repeatable).")
  List<String> topics = List.of();

  @Option(
      names = "--from",
      description =
          "Only messages first delivered at or after this time: ISO-8601, epoch ns, or"
              + " index:N (the time of the event at journal index N; one --data-dir only).")
  String from;

  @Option(
      names = "--to",
      description =
          "Only messages first delivered at or before this time: ISO-8601, epoch ns, or"
              + " index:N (the time of the event at journal index N; one --data-dir only).")
  String to;

  @Option(names = "--peer", description = "Only this node's deliveries and anomalies (base58).")
  String peer;

  @Option(names = "--origin", description = "Only messages published by this peer (base58).")
  String origin;

  @Option(
      names = "--late-after",
      defaultValue = "1s",
      description =
          "A delivery later than this after the first is late (default: ${DEFAULT-VALUE}).")
  String lateAfter;

  @Option(
      names = "--max-anomalies",
      defaultValue = "-1",
      description = "Print at most this many anomalies; the summary still counts all.")
  long maxAnomalies;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--skip-bad", description = "Leave out unreadable data directories and go on.")
  boolean skipBad;

  @Option(names = "--no-skew-correction", description = "Use the journals' clocks as they are.")
  boolean noSkewCorrection;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "Also write a self-contained HTML page (space-time diagram, anomalies, delay CDF,"
              + " explain view) to FILE.")
  Path html;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ReplayOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    kafka.check(!dataDirs.paths().isEmpty());
    ReplayReport report;
    Map<String, Explanation> explained;
    try {
      Analyzed a = analyze(options);
      report = a.report();
      explained = a.explained();
    } catch (ReplayException | io.meshlog.export.ExportException e) {
      throw CommandFailure.unreadable(e.getMessage());
    }
    long cap = maxAnomalies < 0 ? Long.MAX_VALUE : maxAnomalies;
    switch (format) {
      case json -> ReplayJsonWriter.write(report, options, cap, out);
      case csv -> ReplayCsvWriter.write(report, out);
      default -> ReplayTextWriter.write(report, options, cap, out);
    }
    out.flush();
    if (html != null) {
      try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
        ReplayHtmlWriter.write(report, options, explained, w);
      } catch (IOException e) {
        throw CommandFailure.failed("cannot write " + html + ": " + e.getMessage());
      }
    }
    for (ReplayReport.Skipped s : report.skipped()) {
      spec.commandLine().getErr().println("meshlog replay: skipped " + s.reason());
    }
    return ExitCode.OK;
  }

  /** The report, and for {@code --html} the explain views the page embeds. */
  private record Analyzed(ReplayReport report, Map<String, Explanation> explained) {}

  /** From the data directories, and from the Kafka topic laid down as journals (see docs). */
  private Analyzed analyze(ReplayOptions options) {
    if (!kafka.given()) {
      ReplayReport r = ReplayAnalysis.analyze(dataDirs.paths(), options);
      return new Analyzed(r, explain(dataDirs.paths(), r, options));
    }
    try (KafkaReplayInput in = kafka.read()) {
      List<Path> all = new java.util.ArrayList<>(dataDirs.paths());
      all.addAll(in.dataDirs);
      ReplayReport r = ReplayAnalysis.analyze(all, options);
      Map<String, Explanation> explained = new java.util.LinkedHashMap<>();
      explain(all, r, options).forEach((id, x) -> explained.put(id, in.relabel(x)));
      return new Analyzed(in.relabel(r), explained);
    }
  }

  /** With {@code --html}: the page's explain views, one more pass over each journal. */
  private Map<String, Explanation> explain(List<Path> dirs, ReplayReport r, ReplayOptions options) {
    if (html == null) {
      return Map.of();
    }
    return MessageExplain.explainAll(dirs, r, ReplayHtmlWriter.explained(r), options);
  }

  ReplayOptions options() {
    if (dataDirs.paths().isEmpty() && !kafka.given()) {
      throw new IllegalArgumentException("Missing required option: '--data-dir=<dirs>'");
    }
    for (String p : new String[] {peer, origin}) {
      if (p != null) {
        try {
          Base58.decode(p);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("not a base58 peer id: " + p, e);
        }
      }
    }
    long fromNanos = from == null ? Long.MIN_VALUE : bound("--from", from, false);
    long toNanos = to == null ? Long.MAX_VALUE : bound("--to", to, true);
    if (fromNanos > toNanos) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    if (maxAnomalies < -1) {
      throw new IllegalArgumentException("--max-anomalies must be >= 0, was " + maxAnomalies);
    }
    return new ReplayOptions(
        new LinkedHashSet<>(topics),
        fromNanos,
        toNanos,
        peer,
        origin,
        duration("--late-after", lateAfter),
        !noSkewCorrection,
        skipBad);
  }

  /** The prefix of a journal index given as {@code --from} or {@code --to}. */
  static final String INDEX = "index:";

  /**
   * A window bound: a time, or with {@code index:N} the time of the event at journal index N of the
   * one journal given (at or after N for {@code --from}; exactly N for {@code --to}).
   */
  private long bound(String option, String value, boolean exact) {
    if (!value.startsWith(INDEX)) {
      return time(option, value);
    }
    if (dataDirs.paths().size() != 1 || kafka.given()) {
      throw new IllegalArgumentException(
          option + " " + value + ": a journal index needs exactly one --data-dir (and no --kafka)");
    }
    String digits = value.substring(INDEX.length());
    long index;
    try {
      index = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + value + ": not a journal index", e);
    }
    if (index < 0) {
      throw new IllegalArgumentException(option + " " + value + ": not a journal index");
    }
    Path dir = dataDirs.paths().get(0);
    try (JournalReader reader = Journals.openReader(dir.resolve("journal"))) {
      reader.toAfter(index - 1);
      Event e = new Event();
      long at = reader.next(e);
      if (at < 0 || (exact && at != index)) {
        throw new IllegalArgumentException(
            option
                + " "
                + value
                + ": no event at journal index "
                + index
                + (exact ? "" : " or after it")
                + " in "
                + dir);
      }
      return e.timeNanos();
    } catch (JournalException e) {
      throw new IllegalArgumentException(
          option + " " + value + ": cannot read the journal of " + dir + ": " + e.getMessage(), e);
    }
  }

  /** ISO-8601 ({@code 2026-11-21T20:00:00Z}) or nanoseconds since the epoch. */
  static long time(String option, String value) {
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " " + value + ": out of range", e);
      }
    }
    try {
      Instant t = Instant.parse(value);
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          option + " " + value + ": not an ISO-8601 instant or epoch nanoseconds", e);
    }
  }

  /**
   * The project's one duration grammar (500ms, 1s, 2m, 1h, 7d, PT1S), as every setting reads it.
   */
  static long duration(String option, String value) {
    try {
      return SettingValues.duration(option, value.trim()).toNanos();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          option + " " + value + ": not a duration (e.g. 500ms, 1s, 2m, PT1S)", e);
    }
  }
}
