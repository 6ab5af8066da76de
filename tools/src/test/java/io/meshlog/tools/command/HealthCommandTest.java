package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.jmx.view.NodeView;
import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog health --jmx} over a real JMX connector: each of the node's three health states is
 * its own exit code (0 healthy, 1 degraded, 2 failed), with the node's reason in text and in JSON.
 * The node's own judgement (ring fill, failed commits, a failed journal) is tested where it is
 * made, in the event log; here the Node MBean reports what the test sets.
 */
@Timeout(60)
class HealthCommandTest {

  @TempDir Path dir;

  private volatile Health health = Health.OK;
  private MeshlogMBeans beans;
  private JmxServer jmx;
  private Path passwordFile;

  @BeforeEach
  void start() throws Exception {
    passwordFile = dir.resolve("jmxremote.password");
    Files.writeString(passwordFile, "operator secret\n");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    Path access = dir.resolve("jmxremote.access");
    Files.writeString(access, "operator readonly\n");
    beans =
        MeshlogMBeans.register(
            ManagementFactory.getPlatformMBeanServer(),
            MeshlogViews.none().withNode(new Node()),
            Duration.ofSeconds(1));
    jmx =
        JmxServer.start(
            JmxServerConfig.defaults().withJmx(freePort(), passwordFile, access),
            ManagementFactory.getPlatformMBeanServer());
  }

  @AfterEach
  void stop() {
    if (jmx != null) {
      jmx.close();
    }
    if (beans != null) {
      beans.unregisterAll();
    }
  }

  @Test
  void shouldExitZeroOneOrTwoAsTheNodeIsHealthyDegradedOrFailed() throws Exception {
    assertThat(health("text")).isEqualTo(new Run(0, "healthy"));

    health = Health.lagging("journal: ring 80% full; slowest consumer: projections");
    assertThat(health("text"))
        .isEqualTo(new Run(1, "degraded: journal: ring 80% full; slowest consumer: projections"));
    Run json = health("json");
    assertThat(json.exit()).isEqualTo(1);
    JsonNode o = StrictJsonLines.single(json.out());
    assertThat(o.get("status").asText()).isEqualTo("degraded");
    assertThat(o.get("reason").asText())
        .isEqualTo("journal: ring 80% full; slowest consumer: projections");
    assertThat(o.get("peerId").asText()).isEqualTo("12D3KooWHealth");
    assertThat(o.get("via").asText()).isEqualTo("jmx");

    health = Health.failed("journal: DISK_FULL: no space left on device");
    assertThat(health("text"))
        .isEqualTo(new Run(2, "failed: journal: DISK_FULL: no space left on device"));
  }

  private record Run(int exit, String out) {}

  private Run health(String format) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit =
        cl.execute(
            "health",
            "--jmx",
            jmx.serviceUrl().toString(),
            "--jmx-password-file",
            passwordFile.toString(),
            "--format",
            format);
    assertThat(err.toString()).isEmpty();
    return new Run(exit, out.toString().strip());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The Node MBean's source: a node whose health is what the test says. */
  private final class Node implements NodeView {
    @Override
    public String peerId() {
      return "12D3KooWHealth";
    }

    @Override
    public List<String> listenAddresses() {
      return List.of("/ip4/127.0.0.1/tcp/4001");
    }

    @Override
    public String agentVersion() {
      return "meshlog/test";
    }

    @Override
    public Instant startedAt() {
      return Instant.now();
    }

    @Override
    public Health health() {
      return health;
    }

    @Override
    public String publish(String topic, byte[] data) {
      throw new UnsupportedOperationException("not asked by meshlog health");
    }

    @Override
    public Duration ping(String peerId) {
      throw new UnsupportedOperationException("not asked by meshlog health");
    }

    @Override
    public void reconnectMesh() {
      throw new UnsupportedOperationException("not asked by meshlog health");
    }

    @Override
    public String connect(String multiaddr) {
      throw new UnsupportedOperationException("not asked by meshlog health");
    }

    @Override
    public void disconnect(String peerId) {
      throw new UnsupportedOperationException("not asked by meshlog health");
    }
  }
}
