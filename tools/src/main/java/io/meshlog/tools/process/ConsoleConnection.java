package io.meshlog.tools.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach a running node's consoles, as {@code meshlog node} writes it into its data directory
 * ({@code <data-dir>/consoles.properties}) once its endpoints are up, and removes it at a clean
 * stop; {@code meshlog health --data-dir} reads it (docs/node.md lists the keys). After a kill -9
 * the file stays behind: {@link #processAlive()} tells a stale one from a live one.
 *
 * @param pid the node's process id
 * @param peerId the node's peer id
 * @param jmxUrl the remote JMX service URL, empty when remote JMX is off
 * @param jmxPasswordFile the password file the connector checks, empty when remote JMX is off
 * @param jmxSsl whether the connector speaks TLS
 * @param prometheusUrl the scrape endpoint's base URL ({@code /metrics}, {@code /health}), empty
 *     when it is off
 */
public record ConsoleConnection(
    long pid,
    String peerId,
    Optional<String> jmxUrl,
    Optional<Path> jmxPasswordFile,
    boolean jmxSsl,
    Optional<String> prometheusUrl) {

  /** The file's name in the data directory. */
  public static final String FILE = "consoles.properties";

  /** Writes the file, replacing an older one in one step (readers never see half of it). */
  public void write(Path dataDir) {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("peerId", peerId);
    jmxUrl.ifPresent(u -> p.setProperty("jmx.url", u));
    jmxPasswordFile.ifPresent(
        f -> p.setProperty("jmx.passwordFile", f.toAbsolutePath().toString()));
    p.setProperty("jmx.ssl", Boolean.toString(jmxSsl));
    prometheusUrl.ifPresent(u -> p.setProperty("prometheus.url", u));
    Path file = dataDir.resolve(FILE);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(
            w, "how to reach this node's consoles; written by meshlog node, removed at its stop");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Removes the file of {@code dataDir}, if any. */
  public static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dataDir.resolve(FILE), e);
    }
  }

  /**
   * The file of {@code dataDir}, empty when there is none (no node started there with its consoles
   * up, or it stopped cleanly).
   *
   * @throws UncheckedIOException when the file exists but cannot be read
   * @throws IllegalArgumentException when it lacks {@code pid} or {@code peerId}
   */
  public static Optional<ConsoleConnection> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String pid = p.getProperty("pid");
    String peer = p.getProperty("peerId");
    if (pid == null || peer == null) {
      throw new IllegalArgumentException(file + " lacks pid or peerId");
    }
    long parsed;
    try {
      parsed = Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ": pid is not a number: " + pid, e);
    }
    return Optional.of(
        new ConsoleConnection(
            parsed,
            peer.trim(),
            Optional.ofNullable(p.getProperty("jmx.url")),
            Optional.ofNullable(p.getProperty("jmx.passwordFile")).map(Path::of),
            Boolean.parseBoolean(p.getProperty("jmx.ssl", "false")),
            Optional.ofNullable(p.getProperty("prometheus.url"))));
  }

  /** Whether the process that wrote the file still runs. */
  public boolean processAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
