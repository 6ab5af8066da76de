package io.meshlog.jmx.internal;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * Server sockets for the RMI registry and the JMX connector, bound to one address (loopback by
 * default), plain or TLS.
 *
 * <p>RMI shares one listening port between the registry and the connector only when both are
 * exported with <em>equal</em> factories; {@link #equals} therefore compares the settings, not the
 * instance. TLS keys and trust come from the standard {@code javax.net.ssl.*} system properties.
 *
 * <p>Thread-safe (immutable).
 */
public final class BoundServerSocketFactory implements RMIServerSocketFactory, Serializable {

  private static final long serialVersionUID = 1L;

  private final InetAddress address;
  private final boolean ssl;
  private final boolean needClientAuth;

  public BoundServerSocketFactory(InetAddress address, boolean ssl, boolean needClientAuth) {
    this.address = Objects.requireNonNull(address, "address");
    this.ssl = ssl;
    this.needClientAuth = needClientAuth;
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    if (!ssl) {
      return new ServerSocket(port, 0, address);
    }
    SSLServerSocket socket =
        (SSLServerSocket) SSLServerSocketFactory.getDefault().createServerSocket(port, 0, address);
    socket.setNeedClientAuth(needClientAuth);
    return socket;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoundServerSocketFactory f
        && f.address.equals(address)
        && f.ssl == ssl
        && f.needClientAuth == needClientAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, ssl, needClientAuth);
  }
}
