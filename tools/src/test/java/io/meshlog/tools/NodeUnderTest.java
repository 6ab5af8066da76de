package io.meshlog.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A {@code meshlog node} in a child JVM, watched as an operator watches it: over its remote JMX
 * connector (its MBeans, its JVM's memory, CPU time and file descriptors) and its notifications.
 */
final class NodeUnderTest implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(60);

  private final Path dataDir;
  private final Process process;
  private final String address;
  private final JMXConnector connector;
  private final MBeanServerConnection mbeans;
  private final List<Notification> graylisted = new CopyOnWriteArrayList<>();

  private NodeUnderTest(Path dataDir, Process process, String address, JMXConnector connector)
      throws IOException {
    this.dataDir = dataDir;
    this.process = process;
    this.address = address;
    this.connector = connector;
    this.mbeans = connector.getMBeanServerConnection();
    try {
      mbeans.addNotificationListener(
          new ObjectName("io.meshlog:type=Node"),
          (n, handback) -> {
            if ("io.meshlog.peer.graylisted".equals(n.getType())) {
              graylisted.add(n);
            }
          },
          null,
          null);
    } catch (javax.management.JMException e) {
      throw new IOException(e);
    }
  }

  /**
   * Starts {@code meshlog node} on {@code dir} (created) joined to {@code topics}, listening on
   * 127.0.0.1, with remote JMX on a free port, at the default settings otherwise.
   */
  static NodeUnderTest start(Path dir, List<String> topics) throws Exception {
    Files.createDirectories(dir);
    Path password = dir.resolveSibling(dir.getFileName() + ".jmx.password");
    Files.deleteIfExists(password);
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, "ops s3cret\n");
    List<String> args =
        new ArrayList<>(
            List.of("node", "--data-dir", dir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0"));
    for (String t : topics) {
      args.add("--topic");
      args.add(t);
    }
    args.addAll(
        List.of(
            "--jmx-port",
            Integer.toString(freePort()),
            "--jmx-password-file",
            password.toString()));
    Path out = dir.resolveSibling(dir.getFileName() + ".out");
    Path err = dir.resolveSibling(dir.getFileName() + ".err");
    List<String> flags = new ArrayList<>(io.meshlog.eventlog.testing.ChildJvm.allFlags());
    String jfr = System.getProperty("meshlog.test.jfrDir", "");
    if (!jfr.isEmpty()) {
      // -Dmeshlog.test.jfrDir=DIR: a flight recording of the node, for finding where its time goes
      Files.createDirectories(Path.of(jfr));
      flags.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + Path.of(jfr).resolve(dir.getFileName() + ".jfr").toAbsolutePath());
    }
    Process p =
        new ProcessBuilder(
                io.meshlog.eventlog.testing.ChildJvm.command(
                    flags, Main.class, args.toArray(String[]::new)))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      String address = MeshlogProcess.listeningAddress(out, START);
      MeshlogProcess.until(
          START, () -> Files.readAllLines(out).stream().anyMatch(l -> l.startsWith("jmx ")));
      String url =
          Files.readAllLines(out).stream()
              .filter(l -> l.startsWith("jmx "))
              .findFirst()
              .orElseThrow()
              .substring(4)
              .trim();
      JMXConnector c =
          JMXConnectorFactory.connect(
              new JMXServiceURL(url),
              Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "s3cret"}));
      return new NodeUnderTest(dir, p, address, c);
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String address() {
    return address;
  }

  Path dataDir() {
    return dataDir;
  }

  String peerId() {
    return address.substring(address.lastIndexOf('/') + 1);
  }

  long pid() {
    return process.pid();
  }

  /** The node's heap in use after a full collection (the least of three, in bytes). */
  long heapAfterGc() throws Exception {
    ObjectName memory = new ObjectName("java.lang:type=Memory");
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      mbeans.invoke(memory, "gc", null, null);
      CompositeData usage = (CompositeData) mbeans.getAttribute(memory, "HeapMemoryUsage");
      least = Math.min(least, (Long) usage.get("used"));
    }
    return least;
  }

  /** The node process's resident set (VmRSS), in bytes. */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
  }

  /** CPU time the node's JVM has used, in nanoseconds. */
  long cpuNanos() throws Exception {
    return (Long) os("ProcessCpuTime");
  }

  long openFileDescriptors() throws Exception {
    return (Long) os("OpenFileDescriptorCount");
  }

  long maxFileDescriptors() throws Exception {
    return (Long) os("MaxFileDescriptorCount");
  }

  private Object os(String attribute) throws Exception {
    return mbeans.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), attribute);
  }

  int peerCount() throws Exception {
    return ((Number) mbeans.getAttribute(new ObjectName("io.meshlog:type=Peers"), "PeerCount"))
        .intValue();
  }

  int meshPeers(String topic) throws Exception {
    return ((Number) topicAttribute(topic, "MeshPeers")).intValue();
  }

  long messageCount(String topic) throws Exception {
    return ((Number) topicAttribute(topic, "MessageCount")).longValue();
  }

  private Object topicAttribute(String topic, String attribute) throws Exception {
    return mbeans.getAttribute(new ObjectName("io.meshlog:type=Topic,name=" + topic), attribute);
  }

  /** The Peers table's rows whose {@code graylisted} column is not empty, as "peer: text". */
  List<String> graylistedRows() throws Exception {
    TabularData table =
        (TabularData) mbeans.getAttribute(new ObjectName("io.meshlog:type=Peers"), "Peers");
    List<String> rows = new ArrayList<>();
    for (Object o : table.values()) {
      CompositeData row = (CompositeData) o;
      Object text = row.get("graylisted");
      if (text != null && !text.toString().isEmpty()) {
        rows.add(row.get("peerId") + ": " + text);
      }
    }
    return rows;
  }

  /** Every {@code io.meshlog.peer.graylisted} notification the node sent since start. */
  List<Notification> graylistNotifications() {
    return List.copyOf(graylisted);
  }

  /** Stops the node as an operator does (SIGTERM) and waits for it to exit. */
  void stop() {
    try {
      connector.close();
    } catch (IOException e) {
      // the node is going away; its connector with it
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
