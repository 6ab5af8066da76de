package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.meshlog.eventlog.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * meshlog's connector beside the JDK's own: a node process started with the standard {@code
 * -Dcom.sun.management.jmxremote.*} flags and {@code --jmx-port} is reachable three ways, and each
 * shows the meshlog MBeans: the JDK agent's port, meshlog's port (with a password), and local
 * attach by pid.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleAccessIT {

  @TempDir Path dir;

  private Process child;

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.getOutputStream().close();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void shouldBeReachableThroughTheJdkAgentOursAndLocalAttach() throws Exception {
    JmxServerConfig ours = JmxTestSupport.remoteConfig(dir);
    int agentPort = JmxTestSupport.freePort();
    List<String> command =
        ChildJvm.command(
            List.of(
                "-Dcom.sun.management.jmxremote.port=" + agentPort,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.local.only=true"),
            ConsoleTargetMain.class,
            Integer.toString(ours.jmxPort()),
            ours.passwordFile().toString(),
            ours.accessFile().toString());
    child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String ready =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line; (line = out.readLine()) != null; ) {
                      if (line.startsWith("READY ")) {
                        return line;
                      }
                    }
                    return "exited: " + child.exitValue();
                  } catch (Exception e) {
                    return e.toString();
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(ready).startsWith("READY service:jmx:rmi:///jndi/rmi://127.0.0.1:");

    // 1. meshlog's connector, with a password.
    try (JMXConnector c =
        JmxTestSupport.connect(
            new JMXServiceURL(ready.substring("READY ".length())),
            JmxTestSupport.MONITOR,
            JmxTestSupport.MONITOR_PASSWORD)) {
      assertThat(peerId(c.getMBeanServerConnection())).isEqualTo("12D3KooWSelf");
    }

    // 2. The JDK agent's own connector, as its flags configured it.
    JMXServiceURL agent =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + agentPort + "/jmxrmi");
    try (JMXConnector c = JMXConnectorFactory.connect(agent)) {
      assertThat(peerId(c.getMBeanServerConnection())).isEqualTo("12D3KooWSelf");
    }

    // 3. Local attach by pid, as JConsole's "Local Process" does.
    VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
    String local;
    try {
      local = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(local))) {
      assertThat(peerId(c.getMBeanServerConnection())).isEqualTo("12D3KooWSelf");
    }
  }

  private static Object peerId(MBeanServerConnection c) throws Exception {
    return c.getAttribute(MeshlogMBeans.NODE, "PeerId");
  }
}
