package io.meshlog.tools.command;

import io.meshlog.export.ExportException;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.MessageExplain;
import io.meshlog.reconciliation.replay.ReplayException;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.ReplayExplainJsonWriter;
import io.meshlog.tools.report.ReplayExplainTextWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshlog replay explain MESSAGE_ID --data-dir DIR... [--kafka BOOTSTRAP --kafka-topic T]}:
 * the life of one message across nodes ({@link MessageExplain}), read from data directories, from a
 * topic the shipper wrote, or both. See docs/replay.md and docs/export.md.
 *
 * <p>Exit codes: 0 explained; 1 no journal given holds the message; 2 bad options; 3 a data
 * directory is unreadable (without {@code --skip-bad}).
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "The life of one message across nodes: where and when it was published, at each node when"
            + " and how it arrived and from whom, duplicates, verdict, delivery position, the"
            + " critical path, and why it was late or out of order.")
public final class ReplayExplainCommand implements Callable<Integer> {

  /** Output formats. */
  public enum Format {
    text,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MESSAGE_ID",
      description = "Hex, as journal dump prints it.")
  String messageId;

  @CommandLine.Mixin DataDirsOption dataDirs;

  @CommandLine.Mixin KafkaSourceOptions kafka;

  @Option(names = "--topic", description = "Analyse only this topic (repeatable).")
  List<String> topics = List.of();

  @Option(
      names = "--late-after",
      defaultValue = "1s",
      description = "The late threshold (default: ${DEFAULT-VALUE}).")
  String lateAfter;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--skip-bad", description = "Leave out unreadable data directories and go on.")
  boolean skipBad;

  @Option(names = "--no-skew-correction", description = "Use the journals' clocks as they are.")
  boolean noSkewCorrection;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    kafka.check(!dataDirs.paths().isEmpty());
    ReplayOptions options;
    try {
      options =
          ReplayOptions.defaults()
              .withTopics(new LinkedHashSet<>(topics))
              .withLateAfterNanos(ReplayCommand.duration("--late-after", lateAfter))
              .withSkewCorrection(!noSkewCorrection)
              .withSkipBad(skipBad);
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    Explanation x;
    try {
      x = explain(options);
    } catch (ReplayException | ExportException e) {
      throw CommandFailure.unreadable(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("not a hex")
          ? CommandFailure.usage(e.getMessage())
          : CommandFailure.failed(e.getMessage());
    }
    if (format == Format.json) {
      ReplayExplainJsonWriter.write(x, out);
    } else {
      ReplayExplainTextWriter.write(x, out);
    }
    out.flush();
    return ExitCode.OK;
  }

  /** From the data directories, and from the Kafka topic laid down as journals (see docs). */
  private Explanation explain(ReplayOptions options) {
    if (!kafka.given()) {
      return MessageExplain.explain(dataDirs.paths(), messageId, options);
    }
    try (KafkaReplayInput in = kafka.read()) {
      List<Path> all = new ArrayList<>(dataDirs.paths());
      all.addAll(in.dataDirs);
      return in.relabel(MessageExplain.explain(all, messageId, options));
    }
  }
}
