package io.meshlog.jmx.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.Health;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Prometheus scrape endpoint, {@code GET /metrics} in the text exposition format, and the node's
 * health, {@code GET /health} (docs/prometheus.md), on the JDK's HTTP server with one daemon thread
 * (scrapes are rare and cheap; a second scraper waits).
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
final class PrometheusEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final CounterSet<JmxCounter> counters;
  private volatile Supplier<Health> health;

  PrometheusEndpoint(
      PrometheusMeterRegistry registry,
      String bindAddress,
      int port,
      CounterSet<JmxCounter> counters)
      throws IOException {
    this.registry = registry;
    this.counters = counters;
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-prometheus");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", this::handle);
    server.createContext("/health", this::handleHealth);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Where {@code /health} reads the node's health from; until set it answers 503 "starting". */
  void healthFrom(Supplier<Health> source) {
    health = source;
  }

  /**
   * {@code /health}: one JSON object, {@code {"status":"healthy|degraded|failed|starting",
   * "reason":"..."}}; HTTP 200 while the node works (healthy, degraded), 503 when it does not
   * (failed, or no node attached yet), so a load balancer or a plain {@code curl -f} can use it.
   */
  private void handleHealth(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!readOnly(exchange)) {
        return;
      }
      Supplier<Health> source = health;
      String status;
      String reason;
      if (source == null) {
        status = "starting";
        reason = "no node attached yet";
      } else {
        Health h;
        try {
          h = source.get();
        } catch (RuntimeException e) {
          h = Health.failed("health unreadable: " + e);
        }
        status = h.state().status();
        reason = h.reason();
      }
      byte[] body =
          ("{\"status\":\"" + status + "\",\"reason\":" + quote(reason) + "}\n")
              .getBytes(StandardCharsets.UTF_8);
      boolean working = status.equals("healthy") || status.equals("degraded");
      send(exchange, working ? 200 : 503, "application/json; charset=utf-8", body);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!readOnly(exchange)) {
        return;
      }
      byte[] body;
      try {
        body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        counters.increment(JmxCounter.SCRAPE_ERRORS);
        LOG.warn("Prometheus scrape failed: {}", e.toString());
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      counters.increment(JmxCounter.SCRAPES);
      send(exchange, 200, CONTENT_TYPE, body);
    }
  }

  /** Answers 405 to anything but GET and HEAD; true when the request may go on. */
  private static boolean readOnly(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    exchange.sendResponseHeaders(405, -1);
    return false;
  }

  /** Sends {@code body} with {@code status}; a HEAD request gets the status and headers only. */
  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code text} as a JSON string literal. */
  private static String quote(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
