package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.jmx.api.JmxCounter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeshlogMetricsTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void shouldPublishMetersUnderTheMeshlogDomainOnly() throws Exception {
    AtomicLong events = new AtomicLong(41);
    try (MeshlogMetrics metrics = MeshlogMetrics.start(server, JmxServerConfig.defaults())) {
      metrics.counter("test.events", "events seen by the test", events::get);
      events.incrementAndGet();

      Set<ObjectName> names = server.queryNames(new ObjectName("io.meshlog:type=Metrics,*"), null);
      assertThat(names)
          .extracting(n -> n.getKeyProperty("name"))
          .contains(
              "jvm.memory.used",
              "jvm.gc.max.data.size",
              "jvm.threads.live",
              "jvm.classes.loaded",
              "system.cpu.count",
              "process.uptime",
              "test.events",
              "meshlog.jmx.prometheus.scrapes",
              "meshlog.jmx.prometheus.scrape.errors");
      // One heap pool may be empty right now (a survivor space); the heap as a whole is not.
      double heapUsed = 0;
      for (ObjectName n : names) {
        if ("jvm.memory.used".equals(n.getKeyProperty("name"))
            && "heap".equals(n.getKeyProperty("area"))) {
          heapUsed += ((Number) server.getAttribute(n, "Value")).doubleValue();
        }
      }
      assertThat(heapUsed).isPositive();
      ObjectName counter = new ObjectName("io.meshlog:type=Metrics,name=test.events");
      assertThat(((Number) server.getAttribute(counter, "Value")).longValue()).isEqualTo(42);
      assertThat(server.queryNames(new ObjectName("metrics:*"), null)).isEmpty();
    }
    assertThat(server.queryNames(new ObjectName("io.meshlog:type=Metrics,*"), null)).isEmpty();
  }

  @Test
  void shouldServePrometheusTextOnLoopback() throws Exception {
    JmxServerConfig config = JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK);
    try (MeshlogMetrics metrics = MeshlogMetrics.start(server, config)) {
      metrics.counter("test.scraped", "a counter the scrape must show", () -> 7);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI uri = URI.create("http://127.0.0.1:" + metrics.prometheusPort() + "/metrics");
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(response.body())
          .contains("# TYPE jvm_memory_used_bytes gauge")
          .contains("test_scraped_total 7.0");
      assertThat(metrics.counter(JmxCounter.SCRAPES)).isEqualTo(1);
    }
  }

  @Test
  void shouldNameThePrometheusPortWhenTaken() throws Exception {
    JmxServerConfig config = JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK);
    try (MeshlogMetrics first = MeshlogMetrics.start(server, config)) {
      // The JMX names of the first instance stay; the second fails before registering any.
      JmxServerConfig taken =
          config.withPrometheus(first.prometheusPort(), JmxServerConfig.LOOPBACK);
      assertThatThrownBy(() -> MeshlogMetrics.start(server, taken).close())
          .hasMessageContaining("prometheus.port " + first.prometheusPort());
    }
  }
}
