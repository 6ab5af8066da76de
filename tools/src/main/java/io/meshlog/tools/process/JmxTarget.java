package io.meshlog.tools.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * Where a running node's remote JMX is and how to log in, as the commands that ask a node ({@code
 * health}, {@code top}) are told: {@code --jmx HOST:PORT} with a password file, or the node's own
 * {@code consoles.properties} in its data directory. Every failure to reach the node is a {@link
 * NodeUnreachableException} whose message names the URL or directory. Immutable; each call opens
 * its own connection.
 */
public final class JmxTarget {
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d+)");

  private final String url;
  private final String[] credentials;
  private final boolean ssl;
  private final String peerId;

  private JmxTarget(String url, String[] credentials, boolean ssl, String peerId) {
    this.url = url;
    this.credentials = credentials;
    this.ssl = ssl;
    this.peerId = peerId;
  }

  /** What a JMX call does with the node's MBean server. */
  @FunctionalInterface
  public interface Call<T> {
    T on(MBeanServerConnection node) throws Exception;
  }

  /**
   * The node at {@code --jmx HOST:PORT} (or a {@code service:jmx:} URL).
   *
   * @param user the JMX user, null for the password file's first one
   * @param passwords a jmxremote.password file, null without credentials
   * @throws IllegalArgumentException for a malformed target, a user without a file, an unreadable
   *     file or a user missing from it
   */
  public static JmxTarget ofAddress(String target, String user, Path passwords) {
    return new JmxTarget(serviceUrl(target), credentials(user, passwords), false, "");
  }

  /**
   * The node that wrote {@code consoles} (see {@link #liveConsoles}); its own password file unless
   * {@code passwords} is given.
   *
   * @return empty when the node runs without remote JMX ({@code consoles} says how else to ask)
   * @throws IllegalArgumentException as {@link #ofAddress}
   */
  public static Optional<JmxTarget> ofDataDir(
      ConsoleConnection consoles, String user, Path passwords) {
    if (consoles.jmxUrl().isEmpty()) {
      return Optional.empty();
    }
    Path file = passwords != null ? passwords : consoles.jmxPasswordFile().orElse(null);
    return Optional.of(
        new JmxTarget(
            consoles.jmxUrl().get(),
            credentials(user, file),
            consoles.jmxSsl(),
            consoles.peerId()));
  }

  /**
   * The consoles file of the node running in {@code dataDir}.
   *
   * @throws NodeUnreachableException when there is none (no node, or still starting), it cannot be
   *     read, or the process that wrote it is gone
   */
  public static ConsoleConnection liveConsoles(Path dataDir) throws NodeUnreachableException {
    Optional<ConsoleConnection> found;
    try {
      found = ConsoleConnection.read(dataDir);
    } catch (RuntimeException e) {
      throw new NodeUnreachableException(e.getMessage(), "");
    }
    if (found.isEmpty()) {
      throw new NodeUnreachableException(
          "no node running in "
              + dataDir
              + " (no "
              + ConsoleConnection.FILE
              + ": the node is stopped, or still starting)",
          "");
    }
    ConsoleConnection c = found.get();
    if (!c.processAlive()) {
      throw new NodeUnreachableException(
          "the node's process "
              + c.pid()
              + " is gone (killed?); "
              + ConsoleConnection.FILE
              + " is left from it",
          c.peerId());
    }
    return c;
  }

  /** The JMX service URL. */
  public String url() {
    return url;
  }

  /** The node's peer id when its consoles file named it, else empty. */
  public String peerId() {
    return peerId;
  }

  /**
   * Connects, runs {@code call}, and closes again, all within {@code wait}.
   *
   * @throws NodeUnreachableException when the node refuses the credentials, fails or does not
   *     answer in time
   */
  public <T> T ask(Duration wait, Call<T> call) throws NodeUnreachableException {
    return within(
        wait,
        () -> {
          try (JMXConnector c = connect()) {
            return call.on(c.getMBeanServerConnection());
          }
        });
  }

  /**
   * A connection that stays open for several calls, opened within {@code wait}.
   *
   * @throws NodeUnreachableException as {@link #ask}
   */
  public Session open(Duration wait) throws NodeUnreachableException {
    return new Session(within(wait, this::connect));
  }

  /** An open JMX connection to the node. Not thread-safe; one caller at a time. */
  public final class Session implements AutoCloseable {
    private final JMXConnector connector;

    private Session(JMXConnector connector) {
      this.connector = connector;
    }

    /**
     * Runs {@code call} within {@code wait}.
     *
     * @throws NodeUnreachableException as {@link #ask}
     */
    public <T> T read(Duration wait, Call<T> call) throws NodeUnreachableException {
      return within(wait, () -> call.on(connector.getMBeanServerConnection()));
    }

    @Override
    public void close() {
      try {
        connector.close();
      } catch (IOException e) {
        // The node is gone already: nothing is left to release on its side.
      }
    }
  }

  private JMXConnector connect() throws IOException {
    Map<String, Object> env = new HashMap<>();
    if (credentials != null) {
      env.put(JMXConnector.CREDENTIALS, credentials);
    }
    if (ssl) {
      env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
    }
    return JMXConnectorFactory.connect(new JMXServiceURL(url), env);
  }

  private <T> T within(Duration wait, Callable<T> call) throws NodeUnreachableException {
    CompletableFuture<T> asked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call.call();
              } catch (Exception e) {
                throw new CompletionException(e); // get() unwraps it again
              }
            });
    try {
      return asked.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      asked.cancel(true);
      throw new NodeUnreachableException(
          "JMX at " + url + " did not answer within " + wait.toMillis() + " ms", peerId);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SecurityException) {
        throw new NodeUnreachableException("JMX at " + url + " refused the credentials", peerId);
      }
      throw new NodeUnreachableException(
          "no answer over JMX at " + url + ": " + rootCause(e), peerId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeUnreachableException("interrupted while asking JMX at " + url, peerId);
    }
  }

  private static String serviceUrl(String target) {
    if (target.startsWith("service:jmx:")) {
      return target;
    }
    Matcher m = HOST_PORT.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("--jmx " + target + ": expected HOST:PORT");
    }
    return "service:jmx:rmi:///jndi/rmi://" + m.group(1) + ":" + m.group(2) + "/jmxrmi";
  }

  /** The user and password from a jmxremote.password file, or null without a file. */
  private static String[] credentials(String user, Path passwords) {
    if (passwords == null) {
      if (user != null) {
        throw new IllegalArgumentException("--jmx-user needs --jmx-password-file");
      }
      return null;
    }
    try {
      for (String line : Files.readAllLines(passwords, StandardCharsets.UTF_8)) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+", 2);
        if (parts.length == 2 && (user == null || user.equals(parts[0]))) {
          return new String[] {parts[0], parts[1].trim()};
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the JMX password file " + passwords, e);
    }
    throw new IllegalArgumentException(
        user == null
            ? "no user in the JMX password file " + passwords
            : "no user " + user + " in the JMX password file " + passwords);
  }

  /** The message of the innermost cause, or its class name when it has none. */
  public static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
