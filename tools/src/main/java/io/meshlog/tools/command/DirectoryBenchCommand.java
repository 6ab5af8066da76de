package io.meshlog.tools.command;

import io.meshlog.bench.LoopbackNode;
import io.meshlog.bench.discovery.DirectoryBenchmark;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench directory}: a directory's capacity (REGISTERs/s and DISCOVERs/s over
 * loopback, journal on disk; {@link DirectoryBenchmark}) and the time from start to a formed mesh
 * for N nodes that know only the directory, each over {@code --rounds} rounds with min / median /
 * max. Exit 0 when every answer was right and every mesh formed, 1 when not.
 */
@Command(
    name = "directory",
    mixinStandardHelpOptions = true,
    description = "Directory capacity and time to a formed mesh through a directory.")
final class DirectoryBenchCommand implements Callable<Integer> {

  private static final String TOPIC = "bench";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScratchDirOption scratch;

  @Option(names = "--registrations", defaultValue = "20000", description = "REGISTERs per round.")
  int registrations;

  @Option(names = "--discovers", defaultValue = "20000", description = "DISCOVERs per round.")
  int discovers;

  @Option(names = "--clients", defaultValue = "4", description = "Client hosts.")
  int clients;

  @Option(names = "--window", defaultValue = "64", description = "Requests in flight per client.")
  int window;

  @Option(names = "--mesh-nodes", defaultValue = "10", description = "Nodes of the mesh run.")
  int meshNodes;

  @Option(
      names = "--mesh-check",
      defaultValue = "10s",
      description = "discovery.meshCheck of the mesh run's nodes (default: the default).")
  String meshCheck;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds of each measurement.")
  int rounds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (registrations < clients
        || discovers < clients
        || clients < 1
        || window < 1
        || meshNodes < 2
        || rounds < 1) {
      throw CommandFailure.usage("counts must be positive, at least one per client");
    }
    Path parent = scratch.parent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "meshlog-directory-bench-");
    try {
      double[] regs = new double[rounds];
      double[] discs = new double[rounds];
      double[] mesh = new double[rounds];
      DirectoryBenchmark.Settings s =
          new DirectoryBenchmark.Settings(registrations, discovers, clients, window);
      DirectoryBenchmark.run( // JIT warm-up, not counted
          new DirectoryBenchmark.Settings(2000, 2000, clients, window), work.resolve("warmup"));
      for (int r = 0; r < rounds; r++) {
        DirectoryBenchmark.Figures f = DirectoryBenchmark.run(s, work.resolve("capacity-" + r));
        out.println("round " + r + ": " + f);
        out.flush();
        regs[r] = f.registrationsPerSecond();
        discs[r] = f.discoversPerSecond();
      }
      for (int r = 0; r < rounds; r++) {
        mesh[r] = meshSeconds(work.resolve("mesh-" + r));
        out.printf(
            "round %d: %d nodes formed a mesh %.2f s after the first started%n",
            r, meshNodes, mesh[r]);
        out.flush();
      }
      out.println("registrations/s  " + summary(regs, "%.0f"));
      out.println("DISCOVERs/s      " + summary(discs, "%.0f"));
      out.println("mesh formed (s)  " + summary(mesh, "%.2f"));
      out.flush();
      return ExitCode.OK;
    } catch (IllegalStateException e) {
      throw CommandFailure.failed(e.getMessage());
    } finally {
      ScratchDirOption.deleteRecursively(work);
    }
  }

  /**
   * Starts a directory, then {@code meshNodes} nodes given only its address, one after another;
   * returns the seconds from the first node's start until every node has at least min(D_lo, n-1)
   * mesh peers in the topic.
   */
  private double meshSeconds(Path dir) throws Exception {
    List<MeshlogNode> nodes = new ArrayList<>();
    try {
      Map<String, String> d = LoopbackNode.settings(dir.resolve("directory"));
      d.put("node.role", "directory");
      MeshlogNode directory = MeshlogNode.start(NodeConfig.fromProperties(d));
      nodes.add(directory);
      String address = directory.listenAddresses().get(0).toString();
      long t0 = System.nanoTime();
      List<MeshlogNode> peers = new ArrayList<>();
      for (int i = 0; i < meshNodes; i++) {
        Map<String, String> p = LoopbackNode.settings(dir.resolve("n" + i));
        p.put("node.topics", TOPIC);
        p.put("node.directories", address);
        p.put("discovery.meshCheck", meshCheck);
        MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
        nodes.add(n);
        peers.add(n);
      }
      int want = Math.min(peers.get(0).config().gossipsub().dLo(), meshNodes - 1);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (true) {
        boolean formed = true;
        for (MeshlogNode n : peers) {
          if (n.gossipsub().meshPeers(TOPIC).get(5, TimeUnit.SECONDS).size() < want) {
            formed = false;
            break;
          }
        }
        if (formed) {
          return (System.nanoTime() - t0) / 1e9;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no mesh of " + meshNodes + " within 3 minutes");
        }
        Thread.sleep(20); // polling interval of the measurement, well below what it measures
      }
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  static String summary(double[] v, String fmt) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(
        "min " + fmt + "  median " + fmt + "  max " + fmt, s[0], s[s.length / 2], s[s.length - 1]);
  }
}
