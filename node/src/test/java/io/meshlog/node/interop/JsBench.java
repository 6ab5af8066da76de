package io.meshlog.node.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code node bench.mjs <mode>}: js-libp2p talking to js-libp2p over loopback, in two
 * processes, so meshlog's own figures have a reference. Modes: {@code connect} (dial + Noise +
 * Yamux), {@code stream} and {@code streams8} (throughput over 1 and 8 streams), {@code gossip} (1
 * publisher, 1 subscriber, 1 KiB messages), {@code all}.
 *
 * <p>The script checks its own results (byte counts, every message delivered) and exits non-zero
 * when they are wrong, which {@link #run} turns into a {@link JsPeerException}.
 */
public final class JsBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsBench() {}

  /** Figures of one run, e.g. {@code figures.number("/connect/connectionsPerSec")}. */
  public record Figures(String mode, JsonNode json) {
    /** The number at a JSON pointer; fails if it is missing or not a number. */
    public double number(String pointer) {
      JsonNode value = json.at(pointer);
      if (!value.isNumber()) {
        throw new IllegalArgumentException("no number at " + pointer + " in " + json);
      }
      return value.asDouble();
    }
  }

  /** Runs a mode with the script's default settings, for at most 5 minutes. */
  public static Figures run(String mode) {
    return run(mode, Map.of(), Duration.ofMinutes(5));
  }

  /**
   * Runs a mode.
   *
   * @param settings overrides for the script's settings (connections, streamBytes, chunkBytes,
   *     messages, messageBytes, window)
   * @throws JsPeerException if the run fails, prints no figures, or exceeds the timeout (it is then
   *     killed with its children)
   */
  public static Figures run(String mode, Map<String, Long> settings, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(JsRuntime.nodeExecutable());
    command.add("bench.mjs");
    command.add(mode);
    settings.forEach((k, v) -> command.add("--" + k + "=" + v));
    command.add("--timeoutMs=" + timeout.toMillis());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(JsRuntime.jsDir().toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new JsPeerException("cannot start " + command + ": " + e.getMessage(), e);
    }
    TailBuffer stdout = new TailBuffer(64 * 1024);
    TailBuffer stderr = new TailBuffer(64 * 1024);
    Thread out = drain(process, true, stdout);
    Thread err = drain(process, false, stderr);
    try {
      process.getOutputStream().close();
      // The script enforces the timeout itself; the extra margin covers node's start-up.
      if (!process.waitFor(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
        throw new JsPeerException(command + " did not finish within " + timeout + report(stderr));
      }
      out.join(5_000);
      err.join(5_000);
      if (process.exitValue() != 0) {
        throw new JsPeerException(
            command + " failed with code " + process.exitValue() + report(stderr));
      }
      String[] lines = stdout.text().strip().split("\n");
      return new Figures(mode, JSON.readTree(lines[lines.length - 1]));
    } catch (IOException e) {
      throw new JsPeerException(command + " printed no figures: " + stdout.text(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException(command + ": interrupted", e);
    } finally {
      JsRuntime.killTree(process);
    }
  }

  private static String report(TailBuffer stderr) {
    return "\n--- stderr ---\n" + stderr.text();
  }

  private static Thread drain(Process process, boolean stdout, TailBuffer into) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(
                          stdout ? process.getInputStream() : process.getErrorStream(),
                          StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  into.add(line);
                }
              } catch (IOException e) {
                into.add("[harness] " + e.getMessage());
              }
            },
            "jsbench-" + (stdout ? "stdout" : "stderr"));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
