package io.meshlog.jmx;

import static io.meshlog.eventlog.config.SettingValues.require;

import io.meshlog.eventlog.config.SettingValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Settings of the remote JMX connector and the Prometheus scrape endpoint. Both are off unless a
 * port is set; remote JMX then needs a password file and an access file. The keys are declared by
 * {@link JmxSettings}, which the node command reads in the node's own parse; {@link #validate()}
 * fails with {@code invalid <key> = <value>: <why>}.
 *
 * <p>The table of keys, defaults and meanings is in {@code docs/jmx.md}.
 *
 * @param jmxPort 1..65535, or -1 for no remote connector
 * @param bindAddress host or IP literal for the connector
 * @param passwordFile required when {@code jmxPort} is set
 * @param accessFile required when {@code jmxPort} is set
 * @param ssl TLS for the registry and connector
 * @param sslNeedClientAuth with TLS, require client certificates
 * @param prometheusPort 0..65535, or -1 for no scrape endpoint
 * @param prometheusBindAddress host or IP literal for the scrape endpoint
 * @param prometheusMaxPeerSeries connected peers with peer-labelled series at most (0..10000)
 */
public record JmxServerConfig(
    int jmxPort,
    String bindAddress,
    Path passwordFile,
    Path accessFile,
    boolean ssl,
    boolean sslNeedClientAuth,
    int prometheusPort,
    String prometheusBindAddress,
    int prometheusMaxPeerSeries) {

  /** Port value meaning "off". */
  public static final int OFF = -1;

  public static final String LOOPBACK = "127.0.0.1";

  private static final String BLANK = "must not be blank";

  /** Everything off, loopback addresses. */
  public static JmxServerConfig defaults() {
    return new JmxSettings.Draft().config(); // the declared defaults, kept in one place
  }

  public JmxServerConfig withJmx(int port, Path passwordFile, Path accessFile) {
    return new JmxServerConfig(
        port,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort,
        prometheusBindAddress,
        prometheusMaxPeerSeries);
  }

  public JmxServerConfig withBindAddress(String address) {
    return new JmxServerConfig(
        jmxPort,
        address,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort,
        prometheusBindAddress,
        prometheusMaxPeerSeries);
  }

  public JmxServerConfig withSsl(boolean ssl, boolean needClientAuth) {
    return new JmxServerConfig(
        jmxPort,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        needClientAuth,
        prometheusPort,
        prometheusBindAddress,
        prometheusMaxPeerSeries);
  }

  public JmxServerConfig withPrometheus(int port, String address) {
    return new JmxServerConfig(
        jmxPort,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        port,
        address,
        prometheusMaxPeerSeries);
  }

  /** At most {@code max} connected peers get peer-labelled Prometheus series. */
  public JmxServerConfig withPrometheusMaxPeerSeries(int max) {
    return new JmxServerConfig(
        jmxPort,
        bindAddress,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort,
        prometheusBindAddress,
        max);
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
  public JmxServerConfig validate() {
    require(
        jmxPort == OFF || (jmxPort >= 1 && jmxPort <= 65535),
        "jmx.port",
        jmxPort,
        "must be 1..65535 or -1");
    require(bindAddress != null && !bindAddress.isBlank(), "jmx.bindAddress", bindAddress, BLANK);
    require(
        prometheusPort == OFF || (prometheusPort >= 0 && prometheusPort <= 65535),
        "prometheus.port",
        prometheusPort,
        "must be 0..65535 or -1");
    require(
        prometheusBindAddress != null && !prometheusBindAddress.isBlank(),
        "prometheus.bindAddress",
        prometheusBindAddress,
        BLANK);
    require(
        prometheusMaxPeerSeries >= 0 && prometheusMaxPeerSeries <= 10_000,
        "prometheus.maxPeerSeries",
        prometheusMaxPeerSeries,
        "must be 0..10000");
    require(!sslNeedClientAuth || ssl, "jmx.sslNeedClientAuth", true, "needs jmx.ssl = true");
    if (jmxEnabled()) {
      require(
          passwordFile != null,
          "jmx.passwordFile",
          passwordFile,
          "is required when jmx.port is set: remote JMX always needs a password"
              + " (jmxremote.password format)");
      checkReadable(passwordFile, "jmx.passwordFile");
      checkOwnerOnly(passwordFile, "jmx.passwordFile");
      require(
          accessFile != null,
          "jmx.accessFile",
          accessFile,
          "is required when jmx.port is set (jmxremote.access format)");
      checkReadable(accessFile, "jmx.accessFile");
    }
    return this;
  }

  private static void checkReadable(Path file, String key) {
    require(Files.isRegularFile(file) && Files.isReadable(file), key, file, "not a readable file");
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
      throw SettingValues.bad(key, file, e.toString());
    }
    for (PosixFilePermission p : perms) {
      if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
        throw SettingValues.bad(
            key,
            file,
            "must be readable by its owner only (chmod 600), has "
                + PosixFilePermissions.toString(perms));
      }
    }
  }
}
