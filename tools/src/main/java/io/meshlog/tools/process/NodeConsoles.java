package io.meshlog.tools.process;

import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.MeshlogJmx;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.jmx.adapter.NodeMeters;
import io.meshlog.jmx.adapter.NodeViews;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a running node shows to consoles: the MBeans and meters on the platform MBean server (so a
 * local JConsole attaches by pid), plus the remote connector and the scrape endpoint when their
 * ports are set. Built around a started {@link MeshlogNode}; {@link #mesh()} is the journal
 * consumer that must be handed to the node at start.
 */
public final class NodeConsoles {

  /** How long a console operation (publish, ping, connect) waits for the node. */
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);

  private NodeConsoles() {}

  /**
   * The consoles' settings as read ({@code settings}), validated (the one check of the {@code
   * jmx.*} and {@code prometheus.*} keys); an access file the settings do not name is generated in
   * {@code dataDir} (see below).
   *
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public static JmxServerConfig jmxConfig(JmxServerConfig settings, Path dataDir) {
    JmxServerConfig jmx = settings;
    if (jmx.jmxEnabled() && jmx.accessFile() == null) {
      jmx =
          jmx.withJmx(
              jmx.jmxPort(), jmx.passwordFile(), accessFileFor(jmx.passwordFile(), dataDir));
    }
    return jmx.validate();
  }

  /**
   * Writes {@code <data-dir>/jmxremote.access} giving every user of the password file read-write
   * access: an operator who set up a password file for one user should not also need to learn the
   * access file format to connect.
   */
  private static Path accessFileFor(Path passwordFile, Path dataDir) {
    if (passwordFile == null || !Files.isReadable(passwordFile)) {
      return null; // validate() names jmx.passwordFile
    }
    try {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(passwordFile, StandardCharsets.UTF_8)) {
        String t = line.trim();
        if (!t.isEmpty() && !t.startsWith("#")) {
          lines.add(t.split("\\s+")[0] + " readwrite");
        }
      }
      Files.createDirectories(dataDir);
      Path access = dataDir.resolve("jmxremote.access");
      Files.write(access, lines, StandardCharsets.UTF_8);
      return access;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JMX access file in " + dataDir, e);
    }
  }

  /** How a console reaches {@code node}'s endpoints, for {@code <data-dir>/consoles.properties}. */
  public static ConsoleConnection connection(
      MeshlogNode node, MeshlogJmx jmx, JmxServerConfig config) {
    Optional<String> prometheus = Optional.empty();
    if (config.prometheusEnabled()) {
      String host = config.prometheusBindAddress();
      if (host.equals("0.0.0.0") || host.equals("::")) {
        host = JmxServerConfig.LOOPBACK;
      }
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      prometheus = Optional.of("http://" + host + ":" + jmx.metrics().prometheusPort());
    }
    return new ConsoleConnection(
        ProcessHandle.current().pid(),
        node.peerId().toString(),
        jmx.serviceUrl().map(Object::toString),
        config.jmxEnabled() ? Optional.ofNullable(config.passwordFile()) : Optional.empty(),
        config.jmxEnabled() && config.ssl(),
        prometheus);
  }

  /** Registers the views of {@code node} and starts the configured endpoints. */
  public static MeshlogJmx start(MeshlogNode node, LiveMeshState mesh, JmxServerConfig jmxConfig) {
    MeshlogViews views = NodeViews.of(node, mesh, OPERATION_TIMEOUT);
    MeshlogJmx jmx = MeshlogJmx.start(ManagementFactory.getPlatformMBeanServer(), jmxConfig, views);
    mesh.notifyTo(jmx.beans().notifications());
    NodeMeters.bind(jmx.metrics(), node);
    return jmx;
  }
}
