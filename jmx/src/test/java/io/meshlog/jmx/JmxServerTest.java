package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JmxServerTest {

  @TempDir Path dir;

  @Test
  void shouldServeAuthenticatedClientsOnLoopback() throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    try (JmxServer server = JmxServer.start(config, ManagementFactory.getPlatformMBeanServer())) {
      assertThat(server.serviceUrl().toString())
          .isEqualTo("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + config.jmxPort() + "/jmxrmi");
      try (JMXConnector c =
          JmxTestSupport.connect(
              server.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD)) {
        MBeanServerConnection mbs = c.getMBeanServerConnection();
        Object vmName = mbs.getAttribute(new ObjectName("java.lang:type=Runtime"), "VmName");
        assertThat(vmName).isEqualTo(System.getProperty("java.vm.name"));
      }
    }
  }

  @Test
  void shouldRefuseClientsWithoutOrWithWrongPassword() throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    try (JmxServer server = JmxServer.start(config, ManagementFactory.getPlatformMBeanServer())) {
      assertThatThrownBy(() -> JMXConnectorFactory.connect(server.serviceUrl()).close())
          .isInstanceOf(SecurityException.class);
      assertThatThrownBy(
              () ->
                  JmxTestSupport.connect(server.serviceUrl(), JmxTestSupport.CONTROL, "guess")
                      .close())
          .isInstanceOf(SecurityException.class);
      assertThatThrownBy(
              () -> JmxTestSupport.connect(server.serviceUrl(), "nobody", "c0ntrol-secret").close())
          .isInstanceOf(SecurityException.class);
    }
  }

  @Test
  void shouldEnforceTheAccessFile() throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    ObjectName memory = new ObjectName("java.lang:type=Memory");
    try (JmxServer server = JmxServer.start(config, ManagementFactory.getPlatformMBeanServer());
        JMXConnector c =
            JmxTestSupport.connect(
                server.serviceUrl(), JmxTestSupport.MONITOR, JmxTestSupport.MONITOR_PASSWORD)) {
      MBeanServerConnection mbs = c.getMBeanServerConnection();
      assertThat(mbs.getAttribute(memory, "Verbose")).isInstanceOf(Boolean.class);
      assertThatThrownBy(() -> mbs.setAttribute(memory, new Attribute("Verbose", false)))
          .isInstanceOf(SecurityException.class);
      assertThatThrownBy(() -> mbs.invoke(memory, "gc", null, null))
          .isInstanceOf(SecurityException.class);
    }
  }

  @Test
  void shouldRefuseToStartWithoutPasswordFile() throws Exception {
    JmxServerConfig good = JmxTestSupport.remoteConfig(dir);
    JmxServerConfig noPassword = good.withJmx(good.jmxPort(), null, good.accessFile());
    assertThatThrownBy(
            () -> JmxServer.start(noPassword, ManagementFactory.getPlatformMBeanServer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jmx.passwordFile");
    JmxServerConfig missing =
        good.withJmx(good.jmxPort(), dir.resolve("absent"), good.accessFile());
    assertThatThrownBy(missing::validate).hasMessageContaining("jmx.passwordFile");
    JmxServerConfig noAccess = good.withJmx(good.jmxPort(), good.passwordFile(), null);
    assertThatThrownBy(noAccess::validate).hasMessageContaining("jmx.accessFile");
  }

  @Test
  void shouldRefuseAPasswordFileOthersCanRead() throws IOException {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    Files.setPosixFilePermissions(
        config.passwordFile(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(config::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jmx.passwordFile")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void shouldNameTheBadKey() {
    assertThatThrownBy(() -> JmxServerConfig.defaults().withJmx(70000, null, null).validate())
        .hasMessageContaining("jmx.port");
    assertThatThrownBy(() -> JmxServerConfig.defaults().withPrometheus(-5, "127.0.0.1").validate())
        .hasMessageContaining("prometheus.port");
    assertThatThrownBy(() -> JmxServerConfig.defaults().withSsl(false, true).validate())
        .hasMessageContaining("jmx.sslNeedClientAuth");
  }

  @Test
  void shouldNameThePortWhenItIsTaken() throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    try (JmxServer first = JmxServer.start(config, ManagementFactory.getPlatformMBeanServer())) {
      assertThat(first.serviceUrl().toString()).contains(":" + config.jmxPort() + "/");
      assertThatThrownBy(() -> JmxServer.start(config, ManagementFactory.getPlatformMBeanServer()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("jmx.port " + config.jmxPort());
    }
  }
}
