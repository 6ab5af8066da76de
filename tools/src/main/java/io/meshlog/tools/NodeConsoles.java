package io.meshlog.tools;

import io.meshlog.jmx.JmxConfig;
import io.meshlog.jmx.MeshlogJmx;
import io.meshlog.jmx.adapter.DirectoryServiceView;
import io.meshlog.jmx.adapter.GossipsubControl;
import io.meshlog.jmx.adapter.HostNodeView;
import io.meshlog.jmx.adapter.HostPeersView;
import io.meshlog.jmx.adapter.JournalEventLogView;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.jmx.adapter.NodeMeters;
import io.meshlog.jmx.adapter.ProjectionTopicsView;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

  /** The JMX settings of {@code config}; an absent access file is generated (see below). */
  public static JmxConfig jmxConfig(NodeConfig config) {
    JmxConfig jmx = JmxConfig.defaults().withBindAddress(config.jmxBindAddress());
    if (config.jmxPort() != NodeConfig.OFF) {
      Path access = config.jmxAccessFile();
      if (access == null) {
        access = accessFileFor(config.jmxPasswordFile(), config.dataDir());
      }
      jmx = jmx.withJmx(config.jmxPort(), config.jmxPasswordFile(), access);
      jmx = jmx.withSsl(config.jmxSsl(), config.jmxSslNeedClientAuth());
    }
    if (config.prometheusPort() != NodeConfig.OFF) {
      jmx = jmx.withPrometheus(config.prometheusPort(), config.prometheusBindAddress());
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

  /** Registers the views of {@code node} and starts the configured endpoints. */
  public static MeshlogJmx start(MeshlogNode node, LiveMeshState mesh, JmxConfig jmxConfig) {
    JournalEventLogView eventLog = new JournalEventLogView(node.journal(), node::projections, null);
    MeshlogViews views =
        MeshlogViews.none()
            .withEventLog(eventLog)
            .withNode(new HostNodeView(node, mesh, eventLog::health, OPERATION_TIMEOUT))
            .withPeers(
                new HostPeersView(
                    node.host(), node.gossipsub(), mesh, node::projections, node.reconnects()))
            .withTopics(new ProjectionTopicsView(node::projections, mesh))
            .withGossip(new GossipsubControl(node.gossipsub()))
            .withDirectory(node.directory().map(DirectoryServiceView::new).orElse(null));
    MeshlogJmx jmx = MeshlogJmx.start(ManagementFactory.getPlatformMBeanServer(), jmxConfig, views);
    mesh.notifyTo(jmx.beans().notifications());
    NodeMeters.bind(jmx.metrics(), node);
    return jmx;
  }
}
