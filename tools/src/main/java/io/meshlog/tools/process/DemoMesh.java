package io.meshlog.tools.process;

import io.meshlog.node.p2p.Identity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small local mesh of {@code meshlog node} child processes, each its own JVM started with this
 * process's java, class path and JVM flags, its own data directory {@code <dir>/nodeN}, a fixed
 * port on 127.0.0.1 and every other node as a configured peer. Node 1 also serves remote JMX with a
 * generated password. Each node publishes chat lines on the demo topics, each topic from the moment
 * every other node is subscribed to it.
 *
 * <p>Identities are created before the children start, so every node knows every other's full
 * address up front and the processes start in parallel. Not thread-safe; one owner.
 */
public final class DemoMesh implements AutoCloseable {
  // By name, not Main.class: the process plumbing sits below the command line's entry point,
  // which imports it. DemoIT starts the demo through this name.
  private static final String MAIN_CLASS = "io.meshlog.tools.Main";

  static final List<String> TOPICS = List.of("lobby", "dev", "random");
  public static final String JMX_USER = "meshlog";

  private final Path dir;
  private final int size;
  private final double chatRate;
  private final List<Process> children = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();
  private int jmxPort;
  private String jmxPassword;

  public DemoMesh(Path dir, int size, double chatRate) {
    this.dir = dir.toAbsolutePath().normalize();
    this.size = size;
    this.chatRate = chatRate;
  }

  public Path nodeDir(int i) {
    return dir.resolve("node" + i);
  }

  public String jmxUrl() {
    return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi";
  }

  /** Prepares identities, ports and the JMX password, then starts every node. */
  public void start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (int i = 1; i <= size; i++) {
      Path d = nodeDir(i);
      Files.createDirectories(d);
      Identity id = Identity.loadOrCreate(d.resolve("identity.key"));
      addresses.add("/ip4/127.0.0.1/tcp/" + freePort() + "/p2p/" + id.peerId().toBase58());
    }
    jmxPort = freePort();
    Path passwordFile = writePasswordFile();
    for (int i = 1; i <= size; i++) {
      children.add(launch(i, passwordFile));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 1; i <= size; i++) {
      awaitListening(i, deadline);
    }
  }

  private Process launch(int i, Path passwordFile) throws IOException {
    Path d = nodeDir(i);
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(javaBin()));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger port cannot be shared by six JVMs.
      if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
    String own = addresses.get(i - 1);
    cmd.addAll(
        List.of(
            "node",
            "--data-dir",
            d.toString(),
            "--listen",
            own.substring(0, own.indexOf("/p2p/")),
            "--topic",
            String.join(",", TOPICS),
            "--chat-rate",
            Double.toString(chatRate),
            // Chat starts once every other node is subscribed: a line published before a node
            // joined would never reach it, and the demo's replays would call it lost there.
            "--set",
            "node.chatMinPeers=" + (size - 1),
            "--stop-with-parent"));
    for (int j = 1; j <= size; j++) {
      if (j != i) {
        cmd.addAll(List.of("--peer", addresses.get(j - 1)));
      }
    }
    if (i == 1) {
      cmd.addAll(
          List.of(
              "--jmx-port",
              Integer.toString(jmxPort),
              "--jmx-password-file",
              passwordFile.toString()));
    }
    Files.deleteIfExists(d.resolve("stdout.txt"));
    return new ProcessBuilder(cmd)
        .redirectOutput(d.resolve("stdout.txt").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(d.resolve("stderr.txt").toFile()))
        .start();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void awaitListening(int i, long deadlineNanos) throws IOException, InterruptedException {
    Path out = nodeDir(i).resolve("stdout.txt");
    Process p = children.get(i - 1);
    while (true) {
      if (Files.exists(out)
          && Files.readString(out, StandardCharsets.UTF_8).contains("listening ")) {
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "node" + i + " exited with " + p.exitValue() + "; see " + nodeDir(i) + "/stderr.txt");
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("node" + i + " did not start listening in time");
      }
      Thread.sleep(50);
    }
  }

  private Path writePasswordFile() throws IOException {
    byte[] secret = new byte[9];
    new SecureRandom().nextBytes(secret);
    jmxPassword = HexFormat.of().formatHex(secret);
    Path file = dir.resolve("jmxremote.password");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, JMX_USER + " " + jmxPassword + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** What a user needs to look at the running mesh. */
  public void describe(PrintWriter out) {
    out.printf("meshlog demo: %d nodes on 127.0.0.1, topics %s%n", size, String.join(", ", TOPICS));
    for (int i = 1; i <= size; i++) {
      out.printf(
          "  node%d  %s%n         journal %s%n",
          i, addresses.get(i - 1), nodeDir(i).resolve("journal"));
    }
    out.println();
    out.println("JMX (node1): " + jmxUrl());
    out.println(
        "  user "
            + JMX_USER
            + "  password "
            + jmxPassword
            + "  ("
            + dir.resolve("jmxremote.password")
            + ")");
    out.println("  JConsole: jconsole " + jmxUrl());
    out.println("  VisualVM: File > Add JMX Connection, paste the URL, enter user and password");
    out.println();
    out.println(
        "Look at a journal: ./meshlog journal dump --data-dir "
            + nodeDir(2)
            + " --type DELIVER_MESSAGE");
    out.println("Peer/topic stats:  ./meshlog stats --data-dir " + nodeDir(2));
    out.println("Logs: <node dir>/logs/meshlog.log, stdout.txt, stderr.txt");
    out.flush();
  }

  /** Whether every child is still running. */
  public boolean allAlive() {
    return children.stream().allMatch(Process::isAlive);
  }

  /**
   * Sends SIGTERM to every node, then waits for each; a node that does not stop within {@code
   * timeout} is killed.
   *
   * @return the number of nodes that did not exit 0
   */
  public int stop(Duration timeout, PrintWriter out) throws InterruptedException {
    for (Process p : children) {
      p.destroy(); // SIGTERM on POSIX: the node drains its journal and exits 0
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int failed = 0;
    for (int i = 0; i < children.size(); i++) {
      Process p = children.get(i);
      long left = Math.max(0, deadline - System.nanoTime());
      if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        out.printf("node%d did not stop in time; killed%n", i + 1);
        failed++;
      } else if (p.exitValue() != 0) {
        out.printf(
            "node%d exited with %d (see %s)%n",
            i + 1, p.exitValue(), nodeDir(i + 1).resolve("stderr.txt"));
        failed++;
      }
    }
    children.clear();
    out.flush();
    return failed;
  }

  /** Kills whatever is still running (the owner failed before {@link #stop}). */
  @Override
  public void close() {
    for (Process p : children) {
      p.destroyForcibly();
    }
  }
}
