package io.meshlog.tools.command;

import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.JmxSettings;
import io.meshlog.jmx.MeshlogJmx;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ConsoleConnection;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.process.NodeConsoles;
import io.meshlog.tools.process.NodeLogging;
import io.meshlog.tools.process.ShutdownSignals;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog node}: runs a node until SIGTERM or SIGINT. Prints {@code listening
 * <multiaddr>/p2p/<peer id>} per listen address once it accepts connections.
 *
 * <p>Settings come from {@code --config FILE} (properties, every key in {@code docs/node.md}), then
 * the flags, which win. Exit codes: 0 stopped cleanly; 1 could not start (an address in use, a
 * journal that cannot be opened); 2 a bad setting, named.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a meshlog node: join the mesh and journal everything it sees.")
public final class NodeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "Data directory (node.dataDir).")
  Path dataDir;

  @Option(names = "--listen", description = "Listen multiaddr, repeatable (node.listen).")
  List<String> listen = new ArrayList<>();

  @Option(names = "--peer", description = "Peer multiaddr with /p2p/<id>, repeatable (node.peers).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--topic", description = "Topic to join, repeatable (node.topics).")
  List<String> topics = new ArrayList<>();

  @Option(names = "--role", description = "peer or directory (node.role); default peer.")
  String role;

  @Option(
      names = "--directory",
      description = "Directory multiaddr with /p2p/<id>, repeatable (node.directories).")
  List<String> directories = new ArrayList<>();

  @Option(names = "--config", description = "Properties file of settings; flags override it.")
  Path configFile;

  @Option(names = "--jmx-port", description = "Remote JMX port (jmx.port); needs a password file.")
  Integer jmxPort;

  @Option(
      names = "--jmx-password-file",
      description = "jmxremote.password file (jmx.passwordFile).")
  Path jmxPasswordFile;

  @Option(names = "--prometheus-port", description = "Prometheus scrape port (prometheus.port).")
  Integer prometheusPort;

  @Option(names = "--chat-rate", description = "Messages/s this node publishes (node.chatRate).")
  Double chatRate;

  @Option(
      names = "--stop-with-parent",
      hidden = true,
      description = "Stop when the parent process exits (the demo's children use it).")
  boolean stopWithParent;

  @Option(names = "--set", description = "Any setting as KEY=VALUE, repeatable; wins over all.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NodeConfig config;
    JmxServerConfig jmxConfig;
    try {
      JmxSettings.Draft consoles = new JmxSettings.Draft();
      config = NodeConfig.fromProperties(settings(), JmxSettings.table(), consoles);
      jmxConfig = NodeConsoles.jmxConfig(consoles.config(), config.dataDir());
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage(e.getMessage());
    }
    NodeLogging.toDataDir(config.logsDir(), config.log());
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    ShutdownSignals.onTermOrInt(stop::countDown);
    if (stopWithParent) {
      // A demo killed with -9 must not leave five nodes running in the background.
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(stop::countDown));
    }
    // Any other way out of the JVM (SIGHUP, System.exit elsewhere) still closes the node in order.
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              awaitQuietly(stopped, 60);
            },
            "meshlog-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run(config, jmxConfig, stop, out);
    } finally {
      stopped.countDown();
      NodeLogging.stop();
    }
  }

  private int run(
      NodeConfig config, JmxServerConfig jmxConfig, CountDownLatch stop, PrintWriter out) {
    LiveMeshState mesh = new LiveMeshState();
    MeshlogNode node;
    try {
      node = MeshlogNode.start(config, List.of(mesh));
    } catch (RuntimeException e) {
      LOG.error("node failed to start", e);
      throw CommandFailure.failed("cannot start: " + e.getMessage());
    }
    MeshlogJmx jmx = null;
    try {
      jmx = NodeConsoles.start(node, mesh, jmxConfig);
      for (Multiaddr address : node.listenAddresses()) {
        out.println("listening " + address);
      }
      jmx.serviceUrl().ifPresent(url -> out.println("jmx " + url));
      out.flush();
      NodeConsoles.connection(node, jmx, jmxConfig).write(config.dataDir());
      LOG.info("node {} started, listening on {}", node.peerId(), node.listenAddresses());
      stop.await();
      LOG.info("stopping: signal received or parent process gone");
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    } catch (RuntimeException e) {
      LOG.error("node failed", e);
      throw CommandFailure.failed(e.getMessage());
    } finally {
      ConsoleConnection.delete(config.dataDir());
      if (jmx != null) {
        jmx.close();
      }
      node.close();
      LOG.info("node stopped");
    }
  }

  /** The file's settings, then the flags over them. */
  private Map<String, String> settings() {
    Map<String, String> props = new LinkedHashMap<>();
    if (configFile != null) {
      props.putAll(NodeConfig.readFile(configFile));
    }
    if (dataDir != null) {
      props.put("node.dataDir", dataDir.toString());
    }
    if (!listen.isEmpty()) {
      props.put("node.listen", String.join(",", listen));
    }
    if (!peers.isEmpty()) {
      props.put("node.peers", String.join(",", peers));
    }
    if (!topics.isEmpty()) {
      props.put("node.topics", String.join(",", topics));
    }
    if (role != null) {
      props.put("node.role", role);
    }
    if (!directories.isEmpty()) {
      props.put("node.directories", String.join(",", directories));
    }
    if (jmxPort != null) {
      props.put("jmx.port", jmxPort.toString());
    }
    if (jmxPasswordFile != null) {
      props.put("jmx.passwordFile", jmxPasswordFile.toString());
    }
    if (prometheusPort != null) {
      props.put("prometheus.port", prometheusPort.toString());
    }
    if (chatRate != null) {
      props.put("node.chatRate", chatRate.toString());
    }
    props.putAll(settings);
    return props;
  }

  private static void awaitQuietly(CountDownLatch latch, long seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
