package io.meshlog.tools.command;

import io.meshlog.tools.crash.CrashReport;
import io.meshlog.tools.crash.CrashTest;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog crashtest}: runs a node under gossip load, kills it with SIGKILL {@code --kills}
 * times at random moments, restarts it each time and audits its journal and projections. Exit
 * codes: 0 every check passed; 1 a check failed (each is printed); 2 bad options.
 */
@Command(
    name = "crashtest",
    mixinStandardHelpOptions = true,
    description = "Kill a node under gossip load N times with SIGKILL; check what survived.")
public final class CrashtestCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      required = true,
      description = "Empty or new directory; the killed node's data goes to <dir>/target.")
  Path dir;

  @Option(names = "--kills", defaultValue = "10", description = "SIGKILLs (1..10000).")
  int kills;

  @Option(
      names = "--peers",
      defaultValue = "2",
      description = "meshlog load peers started in this process (0..16).")
  int peers;

  @Option(
      names = "--peer",
      description = "A further peer the node dials (js-libp2p, say), with /p2p/<id>; repeatable.")
  List<String> extraPeers = new ArrayList<>();

  @Option(
      names = "--chat-rate",
      defaultValue = "50",
      description = "Lines per second each load peer publishes; the node publishes the same.")
  double chatRate;

  @Option(
      names = "--min-up",
      defaultValue = "200",
      description = "Shortest run after rejoining before the kill, ms.")
  long minUpMillis;

  @Option(
      names = "--max-up",
      defaultValue = "3000",
      description = "Longest such run, ms; the kill moment is uniform in between.")
  long maxUpMillis;

  @Option(names = "--seed", description = "Seed of the kill moments (default: random).")
  Long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (kills < 1 || kills > 10_000 || peers < 0 || peers > 16 || chatRate < 0) {
      throw CommandFailure.usage("--kills must be 1..10000, --peers 0..16, --chat-rate >= 0");
    }
    if (minUpMillis < 0 || maxUpMillis < minUpMillis) {
      throw CommandFailure.usage("need 0 <= --min-up <= --max-up");
    }
    if (peers == 0 && extraPeers.isEmpty()) {
      throw CommandFailure.usage("the node needs load: --peers >= 1 or a --peer");
    }
    long s = seed != null ? seed : System.nanoTime();
    out.printf("meshlog crashtest: %d kills, seed %d, data under %s%n", kills, s, dir);
    out.flush();
    CrashReport report =
        new CrashTest(
                new CrashTest.Options(
                    dir,
                    kills,
                    peers,
                    chatRate,
                    chatRate,
                    Duration.ofMillis(minUpMillis),
                    Duration.ofMillis(maxUpMillis),
                    s,
                    extraPeers,
                    "crash"),
                out)
            .run();
    print(report, out);
    return report.clean() ? 0 : ExitCode.FAILED;
  }

  static void print(CrashReport report, PrintWriter out) {
    long[] rec = report.recoveryMillis();
    long[] start = report.startMillis();
    out.printf("kills                %d%n", report.kills());
    out.printf("events acknowledged  %d%n", report.eventsAcknowledged());
    out.printf("events lost          %d%n", report.eventsLost());
    if (start.length > 0) {
      out.printf(
          "restart ms           min %d  median %d  max %d  (spawn to journal open, listening)%n",
          start[0], start[start.length / 2], start[start.length - 1]);
    }
    if (rec.length > 0) {
      out.printf(
          "recovery ms          min %d  median %d  max %d  (spawn to first mesh peer)%n",
          rec[0], rec[rec.length / 2], rec[rec.length - 1]);
    }
    for (String f : report.failures()) {
      out.println("FAILED: " + f);
    }
    out.println(report.clean() ? "result: every check passed" : "result: FAILED");
    out.flush();
  }
}
