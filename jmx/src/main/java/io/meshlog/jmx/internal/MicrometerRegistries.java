package io.meshlog.jmx.internal;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
  private final CounterSet<JmxCounter> counters = CounterSet.of(JmxCounter.class);
  private final PrometheusEndpoint endpoint;
  private final List<Object> held = new CopyOnWriteArrayList<>();
  private final Map<Integer, CounterDescriptor> bound = new TreeMap<>();
  private MeshCollector mesh; // guarded by this

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
      bind(c, () -> counters.get(c));
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
   * Exports one declared counter under its meter name, read on demand: a {@link
   * CounterKind#COUNTER} as {@link #counter}, the other kinds as {@link #gauge}. A name ending in
   * {@code .bytes} or {@code .seconds} carries that base unit; the value is the stored one times
   * the descriptor's {@link CounterDescriptor#exportScale()}. This is the one place where declared
   * counters become meters.
   *
   * @throws IllegalStateException when a counter with the same id or name is already bound (two
   *     enums sharing an id, or one module bound twice)
   */
  public void bind(CounterDescriptor descriptor, LongSupplier value) {
    synchronized (bound) {
      CounterSet.check(concat(bound.values(), descriptor));
      bound.put(descriptor.id(), descriptor);
    }
    String unit = unit(descriptor.meterName());
    double scale = descriptor.exportScale();
    if (descriptor.kind() == CounterKind.COUNTER) {
      held.add(value);
      FunctionCounter.builder(descriptor.meterName(), value, v -> v.getAsLong() * scale)
          .description(descriptor.description())
          .baseUnit(unit)
          .register(prometheus);
      Gauge.builder(descriptor.meterName(), value, v -> v.getAsLong() * scale)
          .description(descriptor.description())
          .baseUnit(unit)
          .strongReference(true)
          .register(jmx);
    } else {
      Gauge.builder(descriptor.meterName(), value, v -> v.getAsLong() * scale)
          .description(descriptor.description())
          .baseUnit(unit)
          .strongReference(true)
          .register(composite);
    }
  }

  /** Every declared counter bound so far, by id. */
  public List<CounterDescriptor> bound() {
    synchronized (bound) {
      return List.copyOf(bound.values());
    }
  }

  private static List<CounterDescriptor> concat(
      Collection<CounterDescriptor> bound, CounterDescriptor next) {
    List<CounterDescriptor> all = new ArrayList<>(bound);
    all.add(next);
    return all;
  }

  private static String unit(String meterName) {
    if (meterName.endsWith(".bytes")) {
      return "bytes";
    }
    return meterName.endsWith(".seconds") ? "seconds" : null;
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

  /**
   * Serves the live mesh series of {@code views} (see {@link MeshCollector}) at every scrape, with
   * at most {@code maxPeers} peers and {@code maxTopics} topics labelled.
   *
   * @throws IllegalStateException when the mesh series are served already
   */
  public synchronized void serveMesh(MeshlogViews views, int maxPeers, int maxTopics) {
    if (mesh != null) {
      throw new IllegalStateException("the mesh series are served already");
    }
    mesh = new MeshCollector(views, maxPeers, maxTopics);
    prometheus.getPrometheusRegistry().register(mesh);
    if (endpoint != null && views.node() != null) {
      endpoint.healthFrom(views.node()::health);
    }
  }

  /**
   * Serves {@code GET /health} from {@code health} for a process that runs no node (a shipper
   * beside one); a node's health comes with {@link #serveMesh}.
   */
  public synchronized void serveHealth(Supplier<Health> health) {
    if (endpoint != null) {
      endpoint.healthFrom(health);
    }
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
    if (mesh != null) {
      prometheus.getPrometheusRegistry().unregister(mesh);
    }
    gc.close();
    composite.close();
    jmx.close();
    prometheus.close();
  }
}
