package io.meshlog.jmx;

import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.internal.MicrometerRegistries;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.management.MBeanServer;

/**
 * meshlog's meters: JVM meters (memory, GC, threads, class loading, processor, uptime) and every
 * counter the modules declare, published as MBeans named {@code
 * io.meshlog:type=Metrics,name=<meter>[,<tag>=<value>...]} and, when {@link
 * JmxConfig#prometheusPort()} is set, on a Prometheus scrape endpoint ({@code
 * http://<prometheus.bindAddress>:<port>/metrics}).
 *
 * <p>Meters are read on demand (when a console or scraper asks), so registering a counter costs its
 * owner nothing per event.
 *
 * <p>Thread-safe. {@link #close()} unregisters every meter MBean and stops the endpoint.
 */
public final class MeshlogMetrics implements AutoCloseable {

  /**
   * Connected peers that carry {@code peer}-labelled series at most by default ({@code
   * prometheus.maxPeerSeries}); the rest are aggregated.
   */
  public static final int MAX_PEER_SERIES = 100;

  /** Topics that carry {@code topic}-labelled series at most (the first by name). */
  public static final int MAX_TOPIC_SERIES = 256;

  private final MicrometerRegistries registries;

  private MeshlogMetrics(MicrometerRegistries registries) {
    this.registries = registries;
  }

  /**
   * Starts the meters on {@code server} and the scrape endpoint if configured.
   *
   * @throws IllegalArgumentException when the config is invalid (naming the key)
   * @throws UncheckedIOException when the scrape endpoint cannot bind, naming {@code
   *     prometheus.port}
   */
  public static MeshlogMetrics start(MBeanServer server, JmxServerConfig config) {
    config.validate();
    try {
      return new MeshlogMetrics(
          new MicrometerRegistries(
              server, config.prometheusPort(), config.prometheusBindAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the Prometheus endpoint on prometheus.port "
              + config.prometheusPort()
              + " at "
              + config.prometheusBindAddress()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Publishes a monotonically increasing count, read on demand from {@code value}, that no module
   * declares (tests, ad-hoc meters). Declared counters go through {@link #bind}.
   *
   * @param name dotted name, e.g. {@code meshlog.test.events}
   */
  public MeshlogMetrics counter(String name, String description, LongSupplier value) {
    registries.counter(name, description, value);
    return this;
  }

  /** Publishes a value that goes up and down, read on demand from {@code value}. */
  public MeshlogMetrics gauge(String name, String description, DoubleSupplier value) {
    registries.gauge(name, description, value);
    return this;
  }

  /**
   * Exports every constant of a module's counter enum, each read on demand through {@code read}:
   * the one way a declared counter becomes a meter (named {@link CounterDescriptor#meterName()}).
   *
   * @throws IllegalStateException when one of them, or another counter with the same id, is bound
   *     already
   */
  public <C extends Enum<C> & CounterDescriptor> MeshlogMetrics bind(
      Class<C> counters, ToLongFunction<C> read) {
    for (C c : counters.getEnumConstants()) {
      registries.bind(c, () -> read.applyAsLong(c));
    }
    return this;
  }

  /** Exports one declared counter, read on demand; see {@link #bind(Class, ToLongFunction)}. */
  public MeshlogMetrics bind(CounterDescriptor counter, LongSupplier read) {
    registries.bind(counter, read);
    return this;
  }

  /**
   * Serves the live mesh on the scrape endpoint, read from {@code views} at each scrape: peers,
   * scores and per-peer counts, topics, mesh degree, message counts, delivery latency summaries,
   * health and projection lag (docs/prometheus.md). At most {@link #MAX_PEER_SERIES} peers and
   * {@link #MAX_TOPIC_SERIES} topics get labelled series.
   *
   * @throws IllegalStateException when called twice
   */
  public MeshlogMetrics serveMesh(MeshlogViews views) {
    return serveMesh(views, MAX_PEER_SERIES, MAX_TOPIC_SERIES);
  }

  /** As {@link #serveMesh(MeshlogViews)} with other caps. */
  public MeshlogMetrics serveMesh(MeshlogViews views, int maxPeers, int maxTopics) {
    if (maxPeers < 0 || maxTopics < 0) {
      throw new IllegalArgumentException("negative series cap");
    }
    registries.serveMesh(views, maxPeers, maxTopics);
    return this;
  }

  /**
   * Serves {@code GET /health} from {@code health}, read at each request, in a process that runs no
   * node ({@code meshlog ship}); a node's health is served by {@link #serveMesh}. No-op when the
   * endpoint is off.
   */
  public MeshlogMetrics serveHealth(Supplier<Health> health) {
    registries.serveHealth(health);
    return this;
  }

  /** Every declared counter exported so far, in id order. */
  public List<CounterDescriptor> bound() {
    return registries.bound();
  }

  /** The scrape endpoint's port (useful with port 0), or -1 when it is off. */
  public int prometheusPort() {
    return registries.prometheusPort();
  }

  /** Every meter in the Prometheus text format, as the endpoint would serve it. */
  public String scrape() {
    return registries.scrape();
  }

  public long counter(JmxCounter counter) {
    return registries.counter(counter);
  }

  @Override
  public void close() {
    registries.close();
  }
}
