package io.meshlog.jmx;

import static io.meshlog.eventlog.config.SettingValues.bool;
import static io.meshlog.eventlog.config.SettingValues.integer;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingsTable;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code jmx.*} and {@code prometheus.*} settings, declared here, by the module that serves
 * them: the node's command reads them with the node's own keys in one parse (so a config file and
 * {@code --set} take them like any other key, and a typo is refused with the nearest key), and
 * {@code docs/jmx.md} is generated from {@link #table()}.
 */
public final class JmxSettings {

  /** Values gathered while a parse runs; {@link #config()} turns them into the record. */
  public static final class Draft {
    private int jmxPort = JmxServerConfig.OFF;
    private String jmxBind = JmxServerConfig.LOOPBACK;
    private Path passwordFile;
    private Path accessFile;
    private boolean ssl;
    private boolean sslNeedClientAuth;
    private int promPort = JmxServerConfig.OFF;
    private String promBind = JmxServerConfig.LOOPBACK;
    private int promMaxPeers = MeshlogMetrics.MAX_PEER_SERIES;

    /** The settings read, not yet validated ({@link JmxServerConfig#validate()}). */
    public JmxServerConfig config() {
      return new JmxServerConfig(
          jmxPort,
          jmxBind,
          passwordFile,
          accessFile,
          ssl,
          sslNeedClientAuth,
          promPort,
          promBind,
          promMaxPeers);
    }
  }

  private static final SettingsTable<Draft> TABLE =
      SettingsTable.of(
          List.of(
              Setting.<Draft>of(
                  "jmx.port",
                  "int",
                  "-1",
                  "port of the RMI registry **and** the connector (one port; -1 = off)",
                  (d, v) -> d.jmxPort = integer("jmx.port", v)),
              Setting.<Draft>of(
                  "jmx.bindAddress",
                  "string",
                  "127.0.0.1",
                  "address the JMX connector listens on",
                  (d, v) -> d.jmxBind = v),
              Setting.<Draft>of(
                  "jmx.passwordFile",
                  "path",
                  "none",
                  "required with `jmx.port`; `jmxremote.password` format (`role password` lines),"
                      + " readable by its owner only (`chmod 600`)",
                  (d, v) -> d.passwordFile = Path.of(v)),
              Setting.<Draft>of(
                  "jmx.accessFile",
                  "path",
                  "generated",
                  "`jmxremote.access` format (`role readonly|readwrite` lines); without it every"
                      + " user of the password file gets readwrite",
                  (d, v) -> d.accessFile = Path.of(v)),
              Setting.<Draft>of(
                  "jmx.ssl",
                  "boolean",
                  "false",
                  "TLS on registry and connector; keys from the `javax.net.ssl.*` properties",
                  (d, v) -> d.ssl = bool("jmx.ssl", v)),
              Setting.<Draft>of(
                  "jmx.sslNeedClientAuth",
                  "boolean",
                  "false",
                  "with TLS, require client certificates",
                  (d, v) -> d.sslNeedClientAuth = bool("jmx.sslNeedClientAuth", v)),
              Setting.<Draft>of(
                  "prometheus.port",
                  "int",
                  "-1",
                  "`GET /metrics` scrape endpoint (-1 = off, 0 picks a free port)",
                  (d, v) -> d.promPort = integer("prometheus.port", v)),
              Setting.<Draft>of(
                  "prometheus.bindAddress",
                  "string",
                  "127.0.0.1",
                  "address the scrape endpoint listens on",
                  (d, v) -> d.promBind = v),
              Setting.<Draft>of(
                  "prometheus.maxPeerSeries",
                  "int",
                  "100",
                  "connected peers that get `peer`-labelled series at most (0..10000); the others"
                      + " are only in the `meshlog_peers_*` aggregates",
                  (d, v) -> d.promMaxPeers = integer("prometheus.maxPeerSeries", v))));

  private JmxSettings() {}

  /** The {@code jmx.*} and {@code prometheus.*} keys, in docs order. */
  public static SettingsTable<Draft> table() {
    return TABLE;
  }
}
