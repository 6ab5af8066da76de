package io.meshlog.jmx.internal;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.meshlog.jmx.JmxCounter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import javax.management.MBeanServer;

/**
 * Micrometer behind {@code MeshlogMetrics}: one composite registry feeding a JMX registry (meters
 * as MBeans in the {@code io.meshlog} domain) and a Prometheus registry (text scrapes), with the
 * JVM binders bound once.
 *
 * <pre>
 *   meters ─► composite ─┬─► JmxMeterRegistry ─► JmxReporter ─► io.meshlog:type=Metrics,...
 *                        └─► PrometheusMeterRegistry ─► GET /metrics (optional)
 * </pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class MicrometerRegistries implements AutoCloseable {

  /** The JMX domain every meshlog MBean lives in. */
  public static final String DOMAIN = "io.meshlog";

  private final CompositeMeterRegistry composite = new CompositeMeterRegistry();
  private final JmxMeterRegistry jmx;
  private final PrometheusMeterRegistry prometheus;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counters counters = new Counters();
  private final PrometheusEndpoint endpoint;
  private final List<Object> held = new CopyOnWriteArrayList<>();

  /**
   * Starts the registries and, when {@code prometheusPort} is not -1, the scrape endpoint.
   *
   * @throws IOException when the scrape endpoint cannot bind
   */
  public MicrometerRegistries(MBeanServer server, int prometheusPort, String prometheusBind)
      throws IOException {
    MetricRegistry dropwizard = new MetricRegistry();
    JmxConfig config =
        new JmxConfig() {
          @Override
          public String get(String key) {
            return null;
          }

          @Override
          public String domain() {
            return DOMAIN;
          }

          @Override
          public Duration step() {
            return Duration.ofSeconds(10);
          }
        };
    JmxReporter reporter =
        JmxReporter.forRegistry(dropwizard)
            .registerWith(server)
            .inDomain(DOMAIN)
            .createsObjectNamesWith(new MeshlogObjectNames())
            .build();
    jmx = new JmxMeterRegistry(config, Clock.SYSTEM, new MeshlogNameMapper(), dropwizard, reporter);
    jmx.config().namingConvention(NamingConvention.dot);
    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    composite.add(jmx);
    composite.add(prometheus);

    new JvmMemoryMetrics().bindTo(composite);
    gc.bindTo(composite);
    new JvmThreadMetrics().bindTo(composite);
    new ClassLoaderMetrics().bindTo(composite);
    new ProcessorMetrics().bindTo(composite);
    new UptimeMetrics().bindTo(composite);
    // The scrape counters are this class's own; MeshlogJmx binds the MBeans' counters.
    for (JmxCounter c : List.of(JmxCounter.SCRAPES, JmxCounter.SCRAPE_ERRORS)) {
      counter(c.counterName(), c.description(), () -> counters.get(c));
    }

    PrometheusEndpoint started = null;
    if (prometheusPort != -1) {
      try {
        started = new PrometheusEndpoint(prometheus, prometheusBind, prometheusPort, counters);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }
    endpoint = started;
  }

  /**
   * A monotonically increasing count read on demand: a counter for Prometheus ({@code _total}), a
   * gauge in JMX. Dropwizard's counters only move when marked, which a value read on demand never
   * is, so JMX would show 0.
   */
  public void counter(String name, String description, LongSupplier value) {
    // Micrometer holds the measured object weakly; ours is often a lambda that nothing else
    // references, so it would read as NaN (or 0) after the next GC unless held here.
    held.add(value);
    FunctionCounter.builder(name, value, v -> (double) v.getAsLong())
        .description(description)
        .register(prometheus);
    Gauge.builder(name, value, v -> (double) v.getAsLong())
        .description(description)
        .strongReference(true)
        .register(jmx);
  }

  /** A value read on demand. */
  public void gauge(String name, String description, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble)
        .description(description)
        .strongReference(true)
        .register(composite);
  }

  /** The scrape endpoint's port, -1 when it is off. */
  public int prometheusPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return prometheus.scrape();
  }

  public long counter(JmxCounter counter) {
    return counters.get(counter);
  }

  @Override
  public synchronized void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    gc.close();
    composite.close();
    jmx.close();
    prometheus.close();
  }
}
