package io.meshlog.tools.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.jmx.view.Health;
import io.meshlog.tools.process.ConsoleConnection;
import io.meshlog.tools.process.JmxTarget;
import io.meshlog.tools.process.NodeUnreachableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.management.ObjectName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog health}: whether a running node works, for scripts, cron and service monitors. It
 * asks the node itself, over remote JMX ({@code io.meshlog:type=Node}, attributes {@code Health}
 * and {@code HealthReason}) or, when the node has no remote JMX, over its scrape endpoint's {@code
 * /health}. The node is found by {@code --jmx HOST:PORT} or by {@code --data-dir}, through the
 * {@code consoles.properties} file the node writes there.
 *
 * <p>Exit codes: 0 healthy; 1 degraded (behind, still working); 2 failed, which includes a node
 * that does not run or does not answer (a monitor must not read silence as health) and a bad option
 * (the message says which).
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Tell whether a running node is healthy (exit 0), degraded (1) or failed (2).",
      "A node that is not running or does not answer counts as failed."
    })
public final class HealthCommand implements Callable<Integer> {
  static final int HEALTHY = 0;
  static final int DEGRADED = 1;
  static final int FAILED = 2;

  private static final ObjectName NODE = objectName("io.meshlog:type=Node");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin NodeTargetOptions node;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  /** What the node said, or why it could not be asked. */
  record Answer(String status, String reason, String peerId, String via) {
    int exitCode() {
      return switch (status) {
        case "healthy" -> HEALTHY;
        case "degraded" -> DEGRADED;
        default -> FAILED;
      };
    }

    static Answer failed(String reason, String peerId) {
      return new Answer("failed", reason, peerId, "none");
    }
  }

  @Override
  public Integer call() {
    Answer answer;
    try {
      answer = ask(node.timeout());
    } catch (IllegalArgumentException e) {
      answer = Answer.failed(e.getMessage(), "");
    }
    print(spec.commandLine().getOut(), answer);
    return answer.exitCode();
  }

  private Answer ask(Duration wait) {
    try {
      Optional<JmxTarget> byAddress = node.byAddress();
      if (byAddress.isPresent()) {
        return overJmx(byAddress.get(), wait);
      }
      ConsoleConnection c = node.liveConsoles();
      Optional<JmxTarget> target = node.byConsoles(c);
      if (target.isPresent()) {
        return overJmx(target.get(), wait);
      }
      if (c.prometheusUrl().isPresent()) {
        return overHttp(c.prometheusUrl().get() + "/health", c.peerId(), wait);
      }
      return Answer.failed(
          "the node runs without remote JMX and without a scrape endpoint: set jmx.port or"
              + " prometheus.port to let it be asked",
          c.peerId());
    } catch (NodeUnreachableException e) {
      return Answer.failed(e.getMessage(), e.peerId());
    }
  }

  private static Answer overJmx(JmxTarget target, Duration wait) throws NodeUnreachableException {
    return target.ask(
        wait,
        node -> {
          String state = (String) node.getAttribute(NODE, "Health");
          String reason = (String) node.getAttribute(NODE, "HealthReason");
          String id = (String) node.getAttribute(NODE, "PeerId");
          return new Answer(Health.State.valueOf(state).status(), reason, id, "jmx");
        });
  }

  private static Answer overHttp(String url, String peerId, Duration wait) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(wait).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(wait).build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(r.body());
      } catch (IOException e) {
        body = null;
      }
      if (body == null || !body.path("status").isTextual()) {
        return Answer.failed(
            url + " answered HTTP " + r.statusCode() + " without a status", peerId);
      }
      String s = body.get("status").asText();
      String why = body.path("reason").asText("");
      return s.equals("healthy") || s.equals("degraded")
          ? new Answer(s, why, peerId, "http")
          : new Answer("failed", why.isEmpty() ? s : why, peerId, "http");
    } catch (IOException e) {
      return Answer.failed("no answer from " + url + ": " + JmxTarget.rootCause(e), peerId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted while asking " + url, peerId);
    }
  }

  private void print(PrintWriter out, Answer a) {
    if (format == Format.json) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("status", a.status());
      fields.put("reason", a.reason());
      fields.put("peerId", a.peerId());
      fields.put("via", a.via());
      try {
        out.println(JSON.writeValueAsString(fields));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.println(a.reason().isEmpty() ? a.status() : a.status() + ": " + a.reason());
    }
    out.flush();
  }

  private static ObjectName objectName(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }
}
