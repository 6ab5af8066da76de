package io.meshlog.tools.command;

import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.tools.process.ConsoleConnection;
import io.meshlog.tools.process.JmxTarget;
import io.meshlog.tools.process.NodeUnreachableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command that asks a running node finds it: {@code --data-dir} or {@code --jmx HOST:PORT},
 * the JMX login, and how long to wait for an answer, declared once for {@code health} and {@code
 * top} (a picocli mixin).
 */
final class NodeTargetOptions {
  @Option(
      names = "--data-dir",
      description = "The node's data directory: its consoles.properties says how to reach it.")
  private Path dataDir;

  @Option(
      names = "--jmx",
      paramLabel = "HOST:PORT",
      description = "The node's remote JMX port (jmx.port), or a service:jmx: URL.")
  private String jmx;

  @Option(
      names = "--jmx-user",
      description = "JMX user; default: the first user of the password file.")
  private String jmxUser;

  @Option(
      names = "--jmx-password-file",
      description =
          "jmxremote.password file (lines 'user password') holding the user's password;"
              + " default with --data-dir: the node's own jmx.passwordFile.")
  private Path jmxPasswordFile;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      description = "How long to wait for each answer of the node (default: ${DEFAULT-VALUE}).")
  private String timeout;

  /**
   * @throws IllegalArgumentException when the timeout is malformed
   */
  Duration timeout() {
    return SettingValues.duration("--timeout", timeout);
  }

  /** The data directory, empty when the node is given by {@code --jmx}. */
  Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /**
   * The node given by {@code --jmx}, empty when it is given by {@code --data-dir}.
   *
   * @throws IllegalArgumentException unless exactly one of the two is given, or as {@link
   *     JmxTarget#ofAddress}
   */
  Optional<JmxTarget> byAddress() {
    if ((dataDir == null) == (jmx == null)) {
      throw new IllegalArgumentException("give exactly one of --data-dir and --jmx");
    }
    return jmx == null
        ? Optional.empty()
        : Optional.of(JmxTarget.ofAddress(jmx, jmxUser, jmxPasswordFile));
  }

  /**
   * The JMX of the node that wrote {@code consoles}, empty when it runs without remote JMX.
   *
   * @throws IllegalArgumentException as {@link JmxTarget#ofDataDir}
   */
  Optional<JmxTarget> byConsoles(ConsoleConnection consoles) {
    return JmxTarget.ofDataDir(consoles, jmxUser, jmxPasswordFile);
  }

  /**
   * The consoles file of the node in {@code --data-dir}.
   *
   * @throws NodeUnreachableException as {@link JmxTarget#liveConsoles}
   */
  ConsoleConnection liveConsoles() throws NodeUnreachableException {
    return JmxTarget.liveConsoles(dataDir);
  }
}
