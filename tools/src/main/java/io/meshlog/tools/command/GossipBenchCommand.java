package io.meshlog.tools.command;

import io.meshlog.bench.gossip.GossipBenchmark;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench gossip}: 1 -> 1 gossip throughput, its cost of journaling, and propagation
 * latency across a mesh, all in this JVM over loopback ({@link GossipBenchmark}). Exit 0 when every
 * message was delivered exactly once (and journaled), 1 when not.
 */
@Command(
    name = "gossip",
    mixinStandardHelpOptions = true,
    description = "Gossip throughput 1 -> 1, its cost of journaling, latency across a mesh.")
final class GossipBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScratchDirOption scratch;

  @Option(names = "--messages", defaultValue = "20000", description = "Messages of the 1 -> 1 run.")
  int messages;

  @Option(names = "--message-bytes", defaultValue = "1024", description = "Bytes per message.")
  int messageBytes;

  @Option(
      names = "--window",
      defaultValue = "500",
      description = "Most messages published, not yet delivered.")
  int window;

  @Option(
      names = "--journal-messages",
      defaultValue = "5000",
      description = "Messages per journaling round.")
  int journalMessages;

  @Option(names = "--rounds", defaultValue = "5", description = "Journaling rounds.")
  int rounds;

  @Option(names = "--mesh-nodes", defaultValue = "20", description = "Nodes of the mesh run.")
  int meshNodes;

  @Option(names = "--mesh-rate", defaultValue = "1000", description = "Total msg/s of the mesh.")
  int meshRate;

  @Option(names = "--mesh-seconds", defaultValue = "10", description = "Length of the mesh run.")
  int meshSeconds;

  @CommandLine.Mixin BenchRunOptions run;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (messages < 1 || messageBytes < 4 || window < 1 || journalMessages < 1 || rounds < 1) {
      throw CommandFailure.usage("counts must be positive, --message-bytes at least 4");
    }
    if (meshNodes < 2 || meshRate < 1 || meshSeconds < 1) {
      throw CommandFailure.usage("the mesh needs 2 nodes and a positive rate and length");
    }
    boolean json = run.json();
    Path parent = scratch.parent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "meshlog-gossip-bench-");
    try {
      if (!run.noWarmup) {
        GossipBenchmark.run(new GossipBenchmark.Settings(2_000, messageBytes, window));
      }
      GossipBenchmark.Figures one =
          GossipBenchmark.run(new GossipBenchmark.Settings(messages, messageBytes, window));
      print(out, json, "throughput", one);
      GossipBenchmark.JournalCost cost =
          GossipBenchmark.journalCost(
              new GossipBenchmark.Settings(journalMessages, messageBytes, window), work, rounds);
      print(out, json, "journal-cost", cost);
      GossipBenchmark.MeshSettings mesh =
          new GossipBenchmark.MeshSettings(
              meshNodes, Math.min(4, meshNodes - 1), meshRate, meshSeconds, messageBytes, 1);
      print(out, json, "mesh-latency", GossipBenchmark.meshLatency(mesh));
      return ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage());
    } finally {
      ScratchDirOption.deleteRecursively(work);
    }
  }

  private static void print(PrintWriter out, boolean json, String run, Object figures) {
    if (json) {
      BenchReport.json(out, "gossip", run, figures);
    } else {
      out.println(figures);
      out.flush();
    }
  }
}
