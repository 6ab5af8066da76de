package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.jmx.view.Health;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /health} on the scrape port, as a load balancer or {@code curl -f} reads it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerTheNodesHealthWith200WhileItWorksAnd503WhenItFailed() throws Exception {
    FakeViews views = new FakeViews();
    JmxServerConfig config =
        JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK).validate();
    try (MeshlogJmx jmx =
        MeshlogJmx.start(ManagementFactory.getPlatformMBeanServer(), config, views.views())) {
      int port = jmx.metrics().prometheusPort();

      HttpResponse<String> ok = get(port);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(ok.body()).isEqualTo("{\"status\":\"healthy\",\"reason\":\"\"}\n");

      views.journalHealth = Health.lagging("journal: ring 80% full; slowest consumer: \"x\"");
      HttpResponse<String> lagging = get(port);
      assertThat(lagging.statusCode()).isEqualTo(200);
      assertThat(lagging.body())
          .isEqualTo(
              "{\"status\":\"degraded\",\"reason\":"
                  + "\"journal: ring 80% full; slowest consumer: \\\"x\\\"\"}\n");

      views.nodeHealth = Health.failed("journal: STORAGE_FULL: 10 MiB free");
      HttpResponse<String> failed = get(port);
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.body())
          .isEqualTo("{\"status\":\"failed\",\"reason\":\"journal: STORAGE_FULL: 10 MiB free\"}\n");
    }
  }

  @Test
  void shouldAnswerStartingBeforeANodeIsAttached() throws Exception {
    JmxServerConfig config =
        JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK).validate();
    try (MeshlogMetrics metrics =
        MeshlogMetrics.start(ManagementFactory.getPlatformMBeanServer(), config)) {
      HttpResponse<String> r = get(metrics.prometheusPort());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("{\"status\":\"starting\"");
    }
  }
}
