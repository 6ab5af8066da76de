package io.meshlog.tools;

import io.meshlog.jmx.JmxConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The remote JMX and Prometheus options of commands that run a node ({@code @Mixin JmxOptions}).
 * Each maps to one key of {@link JmxConfig}; {@link #toConfig()} leaves validation (naming the key)
 * to the caller's startup.
 */
public final class JmxOptions {

  @Option(
      names = "--jmx-port",
      paramLabel = "N",
      description =
          "Start a remote JMX connector (RMI registry and server on this one port). Needs"
              + " --jmx-password-file and --jmx-access-file. Local attach by pid always works.")
  Integer jmxPort;

  @Option(
      names = "--jmx-bind",
      paramLabel = "ADDRESS",
      defaultValue = JmxConfig.LOOPBACK,
      description = "Address the JMX connector listens on (default: ${DEFAULT-VALUE}).")
  String jmxBind;

  @Option(
      names = "--jmx-password-file",
      paramLabel = "FILE",
      description = "jmxremote.password format (\"role password\" lines), chmod 600.")
  Path passwordFile;

  @Option(
      names = "--jmx-access-file",
      paramLabel = "FILE",
      description = "jmxremote.access format (\"role readonly|readwrite\" lines).")
  Path accessFile;

  @Option(
      names = "--jmx-ssl",
      description = "TLS for the JMX connector; keys from the javax.net.ssl.* system properties.")
  boolean ssl;

  @Option(
      names = "--jmx-ssl-need-client-auth",
      description = "With --jmx-ssl, require client certificates.")
  boolean sslNeedClientAuth;

  @Option(
      names = "--prometheus-port",
      paramLabel = "N",
      description = "Serve Prometheus metrics on http://<bind>:N/metrics.")
  Integer prometheusPort;

  @Option(
      names = "--prometheus-bind",
      paramLabel = "ADDRESS",
      defaultValue = JmxConfig.LOOPBACK,
      description = "Address the Prometheus endpoint listens on (default: ${DEFAULT-VALUE}).")
  String prometheusBind;

  /** The settings given on the command line; not validated. */
  public JmxConfig toConfig() {
    return new JmxConfig(
        jmxPort == null ? JmxConfig.OFF : jmxPort,
        jmxBind,
        passwordFile,
        accessFile,
        ssl,
        sslNeedClientAuth,
        prometheusPort == null ? JmxConfig.OFF : prometheusPort,
        prometheusBind);
  }
}
