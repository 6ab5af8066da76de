package io.meshlog.jmx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** Password and access files, free ports and authenticated clients for the JMX tests. */
public final class JmxTestSupport {

  public static final String CONTROL = "controlRole";
  public static final String CONTROL_PASSWORD = "c0ntrol-secret";
  public static final String MONITOR = "monitorRole";
  public static final String MONITOR_PASSWORD = "m0nitor-secret";

  private JmxTestSupport() {}

  /** A config with remote JMX on a free loopback port, files written into {@code dir}. */
  public static JmxServerConfig remoteConfig(Path dir) throws IOException {
    Path password = dir.resolve("jmxremote.password");
    Files.writeString(
        password,
        "# role password\n"
            + CONTROL
            + " "
            + CONTROL_PASSWORD
            + "\n"
            + MONITOR
            + " "
            + MONITOR_PASSWORD
            + "\n");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path access = dir.resolve("jmxremote.access");
    Files.writeString(access, CONTROL + " readwrite\n" + MONITOR + " readonly\n");
    return JmxServerConfig.defaults().withJmx(freePort(), password, access);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public static JMXConnector connect(JMXServiceURL url, String user, String password)
      throws IOException {
    return JMXConnectorFactory.connect(
        url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
  }
}
