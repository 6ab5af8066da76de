package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote JMX over TLS with keys from the standard javax.net.ssl properties. An IT because the JVM's
 * default SSL context is built once from those properties: it needs a JVM of its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmxServerTlsIT {

  private static final String STORE_PASSWORD = "changeit-too";

  @TempDir static Path keys;

  @BeforeAll
  static void keysAndTrust() throws Exception {
    Path keyStore = keys.resolve("server.p12");
    Path cert = keys.resolve("server.crt");
    Path trustStore = keys.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "meshlog",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "meshlog",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "meshlog",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        STORE_PASSWORD);
    System.setProperty("javax.net.ssl.keyStore", keyStore.toString());
    System.setProperty("javax.net.ssl.keyStorePassword", STORE_PASSWORD);
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", STORE_PASSWORD);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  @Test
  void shouldServeOverTlsOnly(@TempDir Path dir) throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir).withSsl(true, false);
    try (JmxServer server = JmxServer.start(config, ManagementFactory.getPlatformMBeanServer())) {
      Map<String, Object> env = new HashMap<>();
      env.put(
          JMXConnector.CREDENTIALS,
          new String[] {JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD});
      // The registry speaks TLS too: the lookup needs the TLS socket factory.
      env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
      try (JMXConnector c = JMXConnectorFactory.connect(server.serviceUrl(), env)) {
        Object vm =
            c.getMBeanServerConnection()
                .getAttribute(new ObjectName("java.lang:type=Runtime"), "VmName");
        assertThat(vm).isEqualTo(System.getProperty("java.vm.name"));
      }
      // A plain-text client gets nowhere, password or not.
      assertThatThrownBy(
              () ->
                  JmxTestSupport.connect(
                          server.serviceUrl(),
                          JmxTestSupport.CONTROL,
                          JmxTestSupport.CONTROL_PASSWORD)
                      .close())
          .isInstanceOf(IOException.class);
    }
  }
}
