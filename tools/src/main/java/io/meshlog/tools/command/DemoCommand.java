package io.meshlog.tools.command;

import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.DemoMesh;
import io.meshlog.tools.process.ShutdownSignals;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog demo}: a five-node mesh on this machine with chat traffic, until Ctrl-C (or {@code
 * --duration}). Exit codes: 0 every node stopped cleanly; 1 a node failed to start or to stop
 * cleanly; 2 bad options.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a local mesh of meshlog nodes with chat traffic; Ctrl-C stops it.")
public final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", defaultValue = "demo", description = "Where the nodes' data dirs go.")
  Path dir;

  @Option(names = "--nodes", defaultValue = "5", description = "Number of nodes (2..20).")
  int nodes;

  @Option(
      names = "--chat-rate",
      defaultValue = "2",
      description = "Messages per second each node publishes.")
  double chatRate;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "Stop after this many seconds; 0 runs until Ctrl-C.")
  long durationSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodes < 2 || nodes > 20 || durationSeconds < 0 || chatRate < 0) {
      throw CommandFailure.usage("--nodes must be 2..20, --duration and --chat-rate >= 0");
    }
    CountDownLatch stop = new CountDownLatch(1);
    ShutdownSignals.onTermOrInt(stop::countDown);
    try (DemoMesh mesh = new DemoMesh(dir, nodes, chatRate)) {
      out.println("meshlog demo: starting " + nodes + " nodes under " + dir.toAbsolutePath());
      out.flush();
      try {
        mesh.start(Duration.ofSeconds(120));
      } catch (IllegalStateException e) {
        mesh.stop(Duration.ofSeconds(30), out);
        throw CommandFailure.failed(e.getMessage());
      }
      mesh.describe(out);
      out.println(
          durationSeconds > 0
              ? "Running for " + durationSeconds + " s."
              : "Running. Ctrl-C stops every node.");
      out.flush();
      long deadline =
          durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : 0;
      while (!stop.await(500, TimeUnit.MILLISECONDS)) {
        if (!mesh.allAlive()) {
          err.println("meshlog demo: a node exited; stopping the others");
          break;
        }
        if (deadline != 0 && System.nanoTime() > deadline) {
          break;
        }
      }
      // The instant every node is sent SIGTERM: lines published before it are owed to every node.
      out.println("meshlog demo: stopping at " + Instant.now());
      out.flush();
      int failed = mesh.stop(Duration.ofSeconds(60), out);
      out.println(
          failed == 0
              ? "meshlog demo: every node stopped cleanly; journals are under "
                  + dir.toAbsolutePath()
              : "meshlog demo: " + failed + " node(s) did not stop cleanly");
      out.flush();
      return failed == 0 ? 0 : 1;
    }
  }
}
