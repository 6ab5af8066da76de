package io.meshlog.jmx;

import io.meshlog.jmx.internal.BoundServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshlog's remote JMX connector: an RMI registry and an RMI connector server sharing one port,
 * bound to {@link JmxServerConfig#bindAddress()} (loopback by default), with password
 * authentication ({@code jmxremote.password} file) and access control ({@code jmxremote.access}
 * file), TLS optional.
 *
 * <p>It sits beside the JDK's own agent: the {@code -Dcom.sun.management.jmxremote.*} flags and
 * local attach by pid keep working, on their own ports, over the same MBean server.
 *
 * <p>When the bind address is a specific address and {@code java.rmi.server.hostname} is unset, it
 * is set to that address: the connector's stub carries a host name, and clients must reach the
 * address the socket listens on, not the machine's first interface.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class JmxServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JmxServer.class);
  private static final String RMI_HOSTNAME = "java.rmi.server.hostname";

  private final Registry registry;
  private final JMXConnectorServer connector;
  private final JMXServiceURL serviceUrl;

  private JmxServer(Registry registry, JMXConnectorServer connector, JMXServiceURL serviceUrl) {
    this.registry = registry;
    this.connector = connector;
    this.serviceUrl = serviceUrl;
  }

  /**
   * Validates {@code config} and starts the registry and connector on {@code config.jmxPort()}.
   *
   * @throws IllegalArgumentException when the config is invalid or remote JMX is not configured
   *     (naming the key)
   * @throws IllegalStateException when the port cannot be bound, naming {@code jmx.port}
   */
  public static JmxServer start(JmxServerConfig config, MBeanServer server) {
    config.validate();
    if (!config.jmxEnabled()) {
      throw new IllegalArgumentException("jmx.port is not set: remote JMX is off");
    }
    int port = config.jmxPort();
    InetAddress address;
    try {
      address = InetAddress.getByName(config.bindAddress());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "invalid jmx.bindAddress: " + config.bindAddress() + " (" + e.getMessage() + ")", e);
    }
    String host = hostForUrls(address);
    if (!address.isAnyLocalAddress() && System.getProperty(RMI_HOSTNAME) == null) {
      System.setProperty(RMI_HOSTNAME, host);
    }
    BoundServerSocketFactory serverSockets =
        new BoundServerSocketFactory(address, config.ssl(), config.sslNeedClientAuth());
    RMIClientSocketFactory clientSockets = config.ssl() ? new SslRMIClientSocketFactory() : null;

    Registry registry;
    try {
      registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start remote JMX on jmx.port " + port + " at " + host + ": " + e.getMessage(), e);
    }
    try {
      Map<String, Object> env = new HashMap<>();
      env.put("jmx.remote.x.password.file", config.passwordFile().toString());
      env.put("jmx.remote.x.access.file", config.accessFile().toString());
      env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, serverSockets);
      if (clientSockets != null) {
        env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
        // The connector binds its stub into our TLS registry through JNDI; JNDI must speak TLS too.
        env.put("com.sun.jndi.rmi.factory.socket", clientSockets);
      }
      String jndi = "/jndi/rmi://" + host + ":" + port + "/jmxrmi";
      JMXServiceURL exportUrl = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + jndi);
      JMXConnectorServer connector =
          JMXConnectorServerFactory.newJMXConnectorServer(exportUrl, env, server);
      connector.start();
      JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + jndi);
      LOG.info("Remote JMX listening: {}", url);
      return new JmxServer(registry, connector, url);
    } catch (IOException | RuntimeException e) {
      unexport(registry);
      throw new IllegalStateException(
          "cannot start remote JMX on jmx.port " + port + " at " + host + ": " + e.getMessage(), e);
    }
  }

  private static String hostForUrls(InetAddress address) {
    String literal = address.getHostAddress();
    return literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
  }

  /** The URL clients connect to, {@code service:jmx:rmi:///jndi/rmi://127.0.0.1:N/jmxrmi}. */
  public JMXServiceURL serviceUrl() {
    return serviceUrl;
  }

  /** Stops the connector (closing client connections) and the registry. Idempotent. */
  @Override
  public synchronized void close() {
    try {
      if (connector.isActive()) {
        connector.stop();
      }
    } catch (IOException e) {
      LOG.warn("Closing the JMX connector: {}", e.toString());
    } finally {
      unexport(registry);
    }
  }

  private static void unexport(Registry registry) {
    try {
      UnicastRemoteObject.unexportObject(registry, true);
    } catch (NoSuchObjectException e) {
      // Already unexported by an earlier close: nothing left to release.
    }
  }
}
