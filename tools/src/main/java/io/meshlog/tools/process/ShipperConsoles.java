package io.meshlog.tools.process;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportCounter;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.MeshlogMetrics;
import io.meshlog.jmx.adapter.ExportHealth;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;

/**
 * What {@code meshlog ship} shows to consoles when it runs beside a node: the shipper's counters
 * ({@link ExportCounter}, the lag among them) as meter MBeans on the platform MBean server, the
 * remote JMX connector when {@code --jmx-port} is set, and the Prometheus endpoint with {@code
 * /health} when {@code --prometheus-port} is set. The names are the ones a shipping node serves, so
 * one dashboard reads both.
 *
 * <p>Prints {@code jmx <url>} and {@code prometheus http://<address>:<port>/metrics} for what it
 * started, as {@code meshlog node} prints its {@code jmx} line.
 */
public final class ShipperConsoles implements AutoCloseable {
  private final MeshlogMetrics metrics;
  private final JmxServer server;

  private ShipperConsoles(MeshlogMetrics metrics, JmxServer server) {
    this.metrics = metrics;
    this.server = server;
  }

  /**
   * Starts what {@code config} turns on.
   *
   * @throws IllegalStateException when the JMX port cannot be bound, naming it
   * @throws java.io.UncheckedIOException when the Prometheus port cannot be bound, naming it
   */
  public static ShipperConsoles start(
      JmxServerConfig config, CounterSet<ExportCounter> counters, PrintWriter out) {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    MeshlogMetrics metrics = MeshlogMetrics.start(platform, config);
    JmxServer server = null;
    try {
      metrics.bind(ExportCounter.class, counters::get);
      metrics.serveHealth(new ExportHealth(counters));
      if (config.jmxEnabled()) {
        server = JmxServer.start(config, platform);
        out.println("jmx " + server.serviceUrl());
      }
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    if (metrics.prometheusPort() != -1) {
      out.println(
          "prometheus http://"
              + config.prometheusBindAddress()
              + ":"
              + metrics.prometheusPort()
              + "/metrics");
    }
    out.flush();
    return new ShipperConsoles(metrics, server);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    metrics.close();
  }
}
