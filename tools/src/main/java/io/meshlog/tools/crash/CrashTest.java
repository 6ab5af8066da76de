package io.meshlog.tools.crash;

import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kills a node with SIGKILL at random moments, restarts it, and audits what it left behind.
 *
 * <pre>
 *   load peers (meshlog nodes in this JVM, plus any extra addresses) ──gossip──► target JVM
 *   target stdout: started clock=L · ack SEQ … · meshed
 *   repeat N times: up for a random time ─► SIGKILL ─► audit journal + projections ─► restart
 *                   ─► until meshed (the recovery time) ─► clock ≥ the journal's highest Lamport
 *   finally: SIGTERM, audit again
 * </pre>
 *
 * <p>The audit after each kill reads the journal end to end, checks that every node sequence up to
 * the last {@code ack} the target printed is there exactly once, and verifies the projections
 * against a rebuild up to their checkpoint. Not thread-safe; one run per instance.
 */
public final class CrashTest {

  /**
   * What to run.
   *
   * @param dir holds {@code target/} (the killed node's data dir) and {@code peerN/}
   * @param kills how many SIGKILLs
   * @param meshlogPeers load peers started in this JVM, each chatting at {@code peerChatRate}
   * @param peerChatRate lines per second per load peer
   * @param targetChatRate lines per second the target publishes itself
   * @param minUp shortest time the target runs after it rejoined, before the kill
   * @param maxUp longest such time; the kill moment is uniform in between
   * @param seed for the kill moments
   * @param extraPeers further peers (js-libp2p, say) the target dials, full multiaddrs
   * @param topic the one topic every peer joins
   */
  public record Options(
      Path dir,
      int kills,
      int meshlogPeers,
      double peerChatRate,
      double targetChatRate,
      Duration minUp,
      Duration maxUp,
      long seed,
      List<String> extraPeers,
      String topic) {

    public Options {
      extraPeers = List.copyOf(extraPeers);
    }
  }

  private static final String MAIN_CLASS = CrashTarget.class.getName();
  private static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(120);

  private final Options options;
  private final PrintWriter progress;
  private final Random random;
  private final Path targetDir;
  private final List<MeshlogNode> peers = new ArrayList<>();
  private final CrashReport report = new CrashReport();
  private String targetAddress;
  private long acked = -1;

  public CrashTest(Options options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
    this.random = new Random(options.seed());
    this.targetDir = options.dir().toAbsolutePath().normalize().resolve("target");
  }

  /** Runs the whole test; the report says what failed, this throws only when it cannot run. */
  public CrashReport run() throws IOException, InterruptedException {
    Files.createDirectories(targetDir);
    Identity id = Identity.loadOrCreate(targetDir.resolve("identity.key"));
    targetAddress = "/ip4/127.0.0.1/tcp/" + freePort() + "/p2p/" + id.peerId().toBase58();
    try {
      startPeers();
      Target target = Target.start(command(), targetDir);
      awaitMeshed(target, -1);
      for (int round = 1; round <= options.kills(); round++) {
        long up = upMillis();
        Thread.sleep(up);
        long before = acked;
        target.kill();
        acked = Math.max(acked, target.acked());
        JournalAudit audit = JournalAudit.of(targetDir, acked);
        check(round, audit);
        target = Target.start(command(), targetDir);
        long recovery = awaitMeshed(target, round);
        boolean clockBack = target.startClock() < audit.maxLamport();
        if (clockBack) {
          report.fail(
              "round "
                  + round
                  + ": Lamport clock resumed at "
                  + target.startClock()
                  + ", below the journal's "
                  + audit.maxLamport());
        }
        report.add(
            new CrashReport.Round(
                round,
                before,
                acked - before,
                audit.missingUpTo(),
                audit.duplicates(),
                clockBack,
                audit.readFailure(),
                audit.projectionDifference(),
                target.startedAfterMillis(),
                recovery));
        progress.printf(
            "kill %d/%d after %d ms up: acked %d (+%d), lost %d, journal %d records;"
                + " restarted in %d ms, rejoined in %d ms%n",
            round,
            options.kills(),
            up,
            acked + 1,
            acked - before,
            audit.missingUpTo(),
            audit.records(),
            target.startedAfterMillis(),
            recovery);
        progress.flush();
      }
      target.stop();
      acked = Math.max(acked, target.acked());
      JournalAudit last = JournalAudit.of(targetDir, acked);
      check(options.kills() + 1, last);
      return report;
    } finally {
      closePeers();
    }
  }

  private void check(int round, JournalAudit audit) {
    if (audit.readFailure() != null) {
      report.fail("round " + round + ": journal does not read end to end: " + audit.readFailure());
    }
    if (audit.missingUpTo() > 0) {
      report.fail(
          "round "
              + round
              + ": "
              + audit.missingUpTo()
              + " acknowledged events (sequence <= "
              + acked
              + ") missing");
    }
    if (audit.duplicates() > 0) {
      report.fail("round " + round + ": " + audit.duplicates() + " node sequences twice");
    }
    if (audit.projectionDifference() != null) {
      report.fail(
          "round "
              + round
              + ": projections differ from a rebuild: "
              + audit.projectionDifference());
    }
  }

  private long upMillis() {
    long min = options.minUp().toMillis();
    long max = Math.max(min, options.maxUp().toMillis());
    return min + (max == min ? 0 : random.nextLong(max - min + 1));
  }

  /** Waits until the target has a mesh peer; returns the time since it was spawned, in ms. */
  private long awaitMeshed(Target target, int round) throws InterruptedException {
    if (!target.awaitMeshed(REJOIN_TIMEOUT)) {
      target.kill();
      throw new IllegalStateException(
          (round < 0 ? "the first start" : "restart " + round)
              + " did not rejoin the mesh within "
              + REJOIN_TIMEOUT.toSeconds()
              + " s; see "
              + targetDir.resolve("logs"));
    }
    return target.meshedAfterMillis();
  }

  private void startPeers() {
    for (int i = 1; i <= options.meshlogPeers(); i++) {
      Path d = options.dir().toAbsolutePath().normalize().resolve("peer" + i);
      NodeConfig config =
          NodeConfig.builder(d)
              .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
              .topics(List.of(options.topic()))
              .chatRate(options.peerChatRate())
              // The target comes back every few seconds: redial it quickly, every time.
              .dialBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
              .build();
      MeshlogNode peer = MeshlogNode.start(config);
      peers.add(peer);
      peer.keepConnected(Multiaddr.parse(targetAddress));
    }
  }

  private void closePeers() {
    for (MeshlogNode p : peers) {
      try {
        p.close();
      } catch (RuntimeException e) {
        progress.println("closing a load peer failed: " + e);
      }
    }
    peers.clear();
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(javaBin()));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    cmd.add("node.dataDir=" + targetDir);
    cmd.add("node.listen=" + targetAddress.substring(0, targetAddress.indexOf("/p2p/")));
    cmd.add("node.topics=" + options.topic());
    cmd.add("node.chatRate=" + options.targetChatRate());
    cmd.add("node.dial.backoffMin=100ms");
    cmd.add("node.dial.backoffMax=1s");
    List<String> dial = new ArrayList<>(options.extraPeers());
    for (MeshlogNode p : peers) {
      dial.add(p.listenAddresses().get(0).toString());
    }
    if (!dial.isEmpty()) {
      cmd.add("node.peers=" + String.join(",", dial));
    }
    return cmd;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** One run of the target JVM and what it printed. */
  private static final class Target {
    private final Process process;
    private final long spawnedAt = System.nanoTime();
    private final AtomicLong acked = new AtomicLong(-1);
    private final AtomicLong startClock = new AtomicLong(-1);
    private final AtomicLong meshedAt = new AtomicLong();
    private final AtomicLong startedAt = new AtomicLong();
    private final CountDownLatch meshed = new CountDownLatch(1);
    private final Thread reader;

    private Target(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "crashtest-target-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Target start(List<String> cmd, Path dir) throws IOException {
      return new Target(
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()))
              .start());
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ack ")) {
            acked.set(Long.parseLong(line.substring(4)));
          } else if (line.startsWith("started clock=")) {
            startedAt.set(System.nanoTime());
            startClock.set(Long.parseLong(line.substring(14)));
          } else if (line.equals("meshed")) {
            meshedAt.set(System.nanoTime());
            meshed.countDown();
          }
        }
      } catch (IOException | NumberFormatException e) {
        // The pipe closes when the process is killed; a torn last line says nothing new.
      }
    }

    boolean awaitMeshed(Duration timeout) throws InterruptedException {
      return meshed.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && startClock.get() >= 0;
    }

    long meshedAfterMillis() {
      return TimeUnit.NANOSECONDS.toMillis(meshedAt.get() - spawnedAt);
    }

    long startedAfterMillis() {
      return TimeUnit.NANOSECONDS.toMillis(startedAt.get() - spawnedAt);
    }

    long startClock() {
      return startClock.get();
    }

    /** The last ack read, after the output pipe was drained. */
    long acked() {
      return acked.get();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on POSIX
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: the target's shutdown hook closes the node
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }
  }
}
