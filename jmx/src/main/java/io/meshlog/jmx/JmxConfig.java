package io.meshlog.jmx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the remote JMX connector and the Prometheus scrape endpoint. Both are off unless a
 * port is set; remote JMX then needs a password file and an access file.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>jmx.port</td><td>-1 (off)</td><td>port of the RMI registry and the connector (one port)</td></tr>
 * <tr><td>jmx.bindAddress</td><td>127.0.0.1</td><td>address the registry and connector listen on</td></tr>
 * <tr><td>jmx.passwordFile</td><td>none</td><td>{@code jmxremote.password} format: "role password" lines</td></tr>
 * <tr><td>jmx.accessFile</td><td>none</td><td>{@code jmxremote.access} format: "role readonly|readwrite" lines</td></tr>
 * <tr><td>jmx.ssl</td><td>false</td><td>TLS on registry and connector, keys from the javax.net.ssl.* properties</td></tr>
 * <tr><td>jmx.sslNeedClientAuth</td><td>false</td><td>with TLS, require client certificates</td></tr>
 * <tr><td>prometheus.port</td><td>-1 (off)</td><td>port of the scrape endpoint ({@code GET /metrics}); 0 picks a free one</td></tr>
 * <tr><td>prometheus.bindAddress</td><td>127.0.0.1</td><td>address the scrape endpoint listens on</td></tr>
 * </table>
 *
 * @param jmxPort 1..65535, or -1 for no remote connector
 * @param bindAddress host or IP literal for the connector
 * @param passwordFile required when {@code jmxPort} is set
 * @param accessFile required when {@code jmxPort} is set
 * @param ssl TLS for the registry and connector
 * @param sslNeedClientAuth with TLS, require client certificates
 * @param prometheusPort 0..65535, or -1 for no scrape endpoint
 * @param prometheusBindAddress host or IP literal for the scrape endpoint
 */
public record JmxConfig(
    int jmxPort,
    String bindAddress,
    Path passwordFile,
    Path accessFile,
    boolean ssl,
    boolean sslNeedClientAuth,
    int prometheusPort,
    String prometheusBindAddress) {

  /** Port value meaning "off". */
  public static final int OFF = -1;

  public static final String LOOPBACK = "127.0.0.1";

  /** Everything off, loopback addresses. */
  public static JmxConfig defaults() {
    return new JmxConfig(OFF, LOOPBACK, null, null, false, false, OFF, LOOPBACK);
  }

  public JmxConfig withJmx(int port, Path passwordFile, Path accessFile) {
    return new JmxConfig(
        port,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort,
        prometheusBindAddress);
  }

  public JmxConfig withBindAddress(String address) {
    return new JmxConfig(
        jmxPort,
        address,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort,
        prometheusBindAddress);
  }

  public JmxConfig withSsl(boolean ssl, boolean needClientAuth) {
    return new JmxConfig(
        jmxPort,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        needClientAuth,
        prometheusPort,
        prometheusBindAddress);
  }

  public JmxConfig withPrometheus(int port, String address) {
    return new JmxConfig(
        jmxPort, bindAddress, passwordFile, accessFile, ssl, sslNeedClientAuth, port, address);
  }

  /**
   * Reads the {@code jmx.*} and {@code prometheus.*} keys of the table above from {@code props};
   * absent keys keep their defaults, other keys are ignored. Does not validate: call {@link
   * #validate()}.
   *
   * @throws IllegalArgumentException naming the key when a value does not parse
   */
  public static JmxConfig fromProperties(Map<String, String> props) {
    JmxConfig d = defaults();
    return new JmxConfig(
        intValue(props, "jmx.port", d.jmxPort()),
        props.getOrDefault("jmx.bindAddress", d.bindAddress()),
        path(props, "jmx.passwordFile"),
        path(props, "jmx.accessFile"),
        bool(props, "jmx.ssl", d.ssl()),
        bool(props, "jmx.sslNeedClientAuth", d.sslNeedClientAuth()),
        intValue(props, "prometheus.port", d.prometheusPort()),
        props.getOrDefault("prometheus.bindAddress", d.prometheusBindAddress()));
  }

  private static int intValue(Map<String, String> props, String key, int otherwise) {
    String v = props.get(key);
    if (v == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + key + ": " + v + " (not a number)", e);
    }
  }

  private static boolean bool(Map<String, String> props, String key, boolean otherwise) {
    String v = props.get(key);
    if (v == null) {
      return otherwise;
    }
    switch (v.trim()) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("invalid " + key + ": " + v + " (true or false)");
    }
  }

  private static Path path(Map<String, String> props, String key) {
    String v = props.get(key);
    try {
      return v == null || v.isBlank() ? null : Path.of(v.trim());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid " + key + ": " + v, e);
    }
  }

  public boolean jmxEnabled() {
    return jmxPort != OFF;
  }

  public boolean prometheusEnabled() {
    return prometheusPort != OFF;
  }

  /**
   * Checks every setting. The files must exist and be readable, because the connector reads them
   * only when the first client logs in, and an operator should learn of a typo at startup.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public JmxConfig validate() {
    check(jmxPort == OFF || (jmxPort >= 1 && jmxPort <= 65535), "jmx.port", jmxPort);
    check(bindAddress != null && !bindAddress.isBlank(), "jmx.bindAddress", bindAddress);
    check(
        prometheusPort == OFF || (prometheusPort >= 0 && prometheusPort <= 65535),
        "prometheus.port",
        prometheusPort);
    check(
        prometheusBindAddress != null && !prometheusBindAddress.isBlank(),
        "prometheus.bindAddress",
        prometheusBindAddress);
    check(!sslNeedClientAuth || ssl, "jmx.sslNeedClientAuth", "true without jmx.ssl");
    if (jmxEnabled()) {
      if (passwordFile == null) {
        throw new IllegalArgumentException(
            "jmx.passwordFile is required when jmx.port is set: remote JMX always needs a password"
                + " (jmxremote.password format)");
      }
      checkReadable(passwordFile, "jmx.passwordFile");
      checkOwnerOnly(passwordFile, "jmx.passwordFile");
      if (accessFile == null) {
        throw new IllegalArgumentException(
            "jmx.accessFile is required when jmx.port is set (jmxremote.access format)");
      }
      checkReadable(accessFile, "jmx.accessFile");
    }
    return this;
  }

  private static void checkReadable(Path file, String key) {
    check(
        Files.isRegularFile(file) && Files.isReadable(file), key, file + " (not a readable file)");
  }

  /**
   * The JDK's own agent refuses a password file others can read; so do we, with the key named, so
   * that passwords do not sit world-readable next to the journal.
   */
  private static void checkOwnerOnly(Path file, String key) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: the operator's ACLs decide
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid " + key + ": " + file + " (" + e + ")", e);
    }
    for (PosixFilePermission p : perms) {
      if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
        throw new IllegalArgumentException(
            "invalid "
                + key
                + ": "
                + file
                + " must be readable by its owner only (chmod 600), has "
                + PosixFilePermissions.toString(perms));
      }
    }
  }

  private static void check(boolean ok, String key, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid " + key + ": " + value);
    }
  }
}
