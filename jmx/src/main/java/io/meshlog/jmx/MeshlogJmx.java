package io.meshlog.jmx;

import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.MeshlogViews;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.remote.JMXServiceURL;

/**
 * Everything a meshlog process shows to consoles, started and stopped together:
 *
 * <pre>
 *   MeshlogMetrics   io.meshlog:type=Metrics,...  (+ Prometheus endpoint if prometheus.port is set)
 *   MeshlogMBeans    io.meshlog:type=EventLog|Node|Peers|Peer|Topic|Gossipsub
 *   (+ the live mesh series of the views on the Prometheus endpoint)
 *   JmxServer        remote connector if jmx.port is set (local attach by pid works regardless)
 * </pre>
 *
 * <p>Thread-safe. {@link #close()} stops the connector first (consoles disconnect), then
 * unregisters the MBeans and meters; it is idempotent.
 */
public final class MeshlogJmx implements AutoCloseable {

  private final MeshlogMetrics metrics;
  private final MeshlogMBeans beans;
  private final JmxServer server;

  private MeshlogJmx(MeshlogMetrics metrics, MeshlogMBeans beans, JmxServer server) {
    this.metrics = metrics;
    this.beans = beans;
    this.server = server;
  }

  /**
   * Validates {@code config}, registers the meters and MBeans on {@code mbeanServer} (normally the
   * platform MBean server) and starts the remote connector and scrape endpoint when configured. On
   * failure, whatever was started is stopped again.
   *
   * @throws IllegalArgumentException when the config is invalid, naming the key
   * @throws IllegalStateException or {@link java.io.UncheckedIOException} when a port cannot be
   *     bound or an MBean registered, naming it
   */
  public static MeshlogJmx start(
      MBeanServer mbeanServer, JmxServerConfig config, MeshlogViews views) {
    config.validate();
    MeshlogMetrics metrics = MeshlogMetrics.start(mbeanServer, config);
    MeshlogMBeans beans = null;
    try {
      beans = MeshlogMBeans.register(mbeanServer, views);
      metrics.serveMesh(views, config.prometheusMaxPeerSeries(), MeshlogMetrics.MAX_TOPIC_SERIES);
      MeshlogMBeans registered = beans;
      for (JmxCounter c :
          List.of(
              JmxCounter.NOTIFICATIONS_SENT, JmxCounter.SAMPLER_ERRORS, JmxCounter.VIEW_ERRORS)) {
        metrics.bind(c, () -> registered.counter(c));
      }
      JmxServer server = config.jmxEnabled() ? JmxServer.start(config, mbeanServer) : null;
      return new MeshlogJmx(metrics, beans, server);
    } catch (RuntimeException e) {
      if (beans != null) {
        beans.close();
      }
      metrics.close();
      throw e;
    }
  }

  public MeshlogMetrics metrics() {
    return metrics;
  }

  public MeshlogMBeans beans() {
    return beans;
  }

  /** The remote connector's URL, empty when remote JMX is off. */
  public Optional<JMXServiceURL> serviceUrl() {
    return server == null ? Optional.empty() : Optional.of(server.serviceUrl());
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try {
        beans.close();
      } finally {
        metrics.close();
      }
    }
  }
}
