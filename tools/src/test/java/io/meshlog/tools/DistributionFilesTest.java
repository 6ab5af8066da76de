package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.JmxSettings;
import io.meshlog.node.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the distribution archive ships beside the jars (src/dist). */
class DistributionFilesTest {
  private static final Path EXAMPLE = Path.of("src", "dist", "conf", "meshlog.properties");

  /** Documented defaults that describe rather than give a value. */
  private static final Set<String> NOT_A_VALUE =
      Set.of("required", "none", "generated", "meshlog/<version>");

  @TempDir Path tmp;

  @Test
  void shouldShipAnExampleConfigWithEverySettingTheNodeReads() throws Exception {
    String expected = NodeConfig.exampleConfig(JmxSettings.table());
    String shipped = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    if (!shipped.equals(expected)) {
      Path fresh = Path.of("target", "meshlog.properties.expected");
      Files.writeString(fresh, expected, StandardCharsets.UTF_8);
      throw new AssertionError(
          EXAMPLE
              + " differs from the settings table; the current one is in "
              + fresh
              + ": copy it");
    }
  }

  @Test
  void shouldAcceptEveryDefaultOfTheExampleConfigUncommented() throws Exception {
    Map<String, String> props = new HashMap<>();
    for (String line : Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") && line.contains(" = ") && !line.startsWith("# ")) {
        String key = line.substring(1, line.indexOf(" = "));
        String value = line.substring(line.indexOf(" = ") + 3);
        if (!key.endsWith(".*") && !NOT_A_VALUE.contains(value)) {
          props.put(key, value);
        }
      }
    }
    assertThat(props).hasSizeGreaterThan(100);
    props.put("node.dataDir", tmp.toString());
    JmxSettings.Draft consoles = new JmxSettings.Draft();
    NodeConfig config = NodeConfig.fromProperties(props, JmxSettings.table(), consoles);
    assertThat(config.dataDir()).isEqualTo(tmp);
    assertThat(consoles.config()).isEqualTo(JmxServerConfig.defaults());
  }

  @Test
  void shouldStopTheServiceWithSigtermAndRestartItOnFailure() throws Exception {
    String unit = Files.readString(Path.of("src", "dist", "systemd", "meshlog.service"));
    assertThat(unit)
        .contains(
            "ExecStart=/opt/meshlog/bin/meshlog node --config /etc/meshlog/meshlog.properties")
        .contains("KillSignal=SIGTERM")
        .contains("Restart=on-failure")
        .containsPattern("LimitNOFILE=\\d+");
  }
}
