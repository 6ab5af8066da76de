package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeshlogJmxTest {

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void shouldStartEverythingAndStopItAll() throws Exception {
    JmxServerConfig config =
        JmxTestSupport.remoteConfig(dir).withPrometheus(0, JmxServerConfig.LOOPBACK).validate();

    try (MeshlogJmx jmx = MeshlogJmx.start(server, config, new FakeViews().views())) {
      assertThat(jmx.metrics().prometheusPort()).isPositive();
      try (JMXConnector c =
          JmxTestSupport.connect(
              jmx.serviceUrl().orElseThrow(),
              JmxTestSupport.MONITOR,
              JmxTestSupport.MONITOR_PASSWORD)) {
        MBeanServerConnection remote = c.getMBeanServerConnection();
        assertThat(remote.getAttribute(MeshlogMBeans.NODE, "PeerId")).isEqualTo("12D3KooWSelf");
        assertThat(remote.queryNames(new ObjectName("io.meshlog:type=Metrics,*"), null))
            .isNotEmpty();

        // The module's own counters are meters too: a notification sent shows in its meter.
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        remote.addNotificationListener(MeshlogMBeans.NODE, (n, h) -> received.add(n), null, null);
        jmx.beans().notifications().peerDisconnected("12D3KooWA", "test");
        assertThat(received.poll(20, TimeUnit.SECONDS)).isNotNull();
        ObjectName sent =
            new ObjectName("io.meshlog:type=Metrics,name=meshlog.jmx.notifications.sent");
        assertThat(((Number) remote.getAttribute(sent, "Value")).longValue()).isEqualTo(1);
      }
    }
    assertThat(server.queryNames(new ObjectName("io.meshlog:*"), null)).isEmpty();
  }

  @Test
  void shouldNameTheBadKeyValueAndRule() throws Exception {
    JmxServerConfig good = JmxTestSupport.remoteConfig(dir);
    assertThatThrownBy(() -> good.withJmx(70000, good.passwordFile(), good.accessFile()).validate())
        .hasMessage("invalid jmx.port = 70000: must be 1..65535 or -1");
    assertThatThrownBy(() -> good.withSsl(false, true).validate())
        .hasMessage("invalid jmx.sslNeedClientAuth = true: needs jmx.ssl = true");
    Path absent = dir.resolve("absent");
    assertThatThrownBy(() -> good.withJmx(good.jmxPort(), absent, good.accessFile()).validate())
        .hasMessage("invalid jmx.passwordFile = " + absent + ": not a readable file");
    assertThat(JmxServerConfig.defaults().validate()).isEqualTo(JmxServerConfig.defaults());
  }

  @Test
  void shouldLeaveNothingBehindWhenAPortIsTaken() throws Exception {
    JmxServerConfig config = JmxTestSupport.remoteConfig(dir);
    try (JmxServer taken = JmxServer.start(config, server)) {
      assertThat(taken.serviceUrl().toString()).contains(":" + config.jmxPort() + "/");
      assertThatThrownBy(() -> MeshlogJmx.start(server, config, new FakeViews().views()))
          .hasMessageContaining("jmx.port");
      assertThat(server.queryNames(new ObjectName("io.meshlog:*"), null)).isEmpty();
    }
  }
}
