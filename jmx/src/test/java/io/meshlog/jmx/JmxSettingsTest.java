package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.testing.SettingsDocs;
import io.meshlog.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consoles' settings as an operator gives them: in the node's config or {@code --set}, read in
 * the node's parse, and documented in {@code docs/jmx.md} exactly as declared.
 */
class JmxSettingsTest {
  private static final Pattern KEY_ROW =
      Pattern.compile("^\\| `((?:jmx|prometheus)(?:\\.[a-z][A-Za-z]*)+)` \\|", Pattern.MULTILINE);

  @TempDir Path tmp;

  private JmxServerConfig parse(Map<String, String> settings) {
    Map<String, String> props = new HashMap<>(settings);
    props.put("node.dataDir", tmp.toString());
    JmxSettings.Draft consoles = new JmxSettings.Draft();
    NodeConfig.fromProperties(props, JmxSettings.table(), consoles);
    return consoles.config();
  }

  @Test
  void shouldReadTheConsolesKeysInTheNodesParse() {
    JmxServerConfig c =
        parse(
            Map.of(
                "jmx.port", "9010",
                "jmx.bindAddress", "127.0.0.2",
                "jmx.passwordFile", "/etc/meshlog/jmx.password",
                "jmx.ssl", "true",
                "jmx.sslNeedClientAuth", "true",
                "prometheus.port", "0",
                "prometheus.maxPeerSeries", "7",
                "gossipsub.d", "6"));
    assertThat(c.jmxPort()).isEqualTo(9010);
    assertThat(c.bindAddress()).isEqualTo("127.0.0.2");
    assertThat(c.passwordFile()).isEqualTo(Path.of("/etc/meshlog/jmx.password"));
    assertThat(c.ssl()).isTrue();
    assertThat(c.sslNeedClientAuth()).isTrue();
    assertThat(c.prometheusPort()).isZero();
    assertThat(c.prometheusMaxPeerSeries()).isEqualTo(7);
  }

  @Test
  void shouldDefaultToEverythingOffOnLoopback() {
    assertThat(parse(Map.of())).isEqualTo(JmxServerConfig.defaults());
  }

  /** The defaults the docs show are the ones in force: parsing every one changes nothing. */
  @Test
  void shouldDocumentTheDefaultsInForce() {
    Map<String, String> documented = new HashMap<>();
    for (Setting<?> s : JmxSettings.table().settings()) {
      if (!List.of("none", "generated").contains(s.defaultValue())) {
        documented.put(s.key(), s.defaultValue());
      }
    }
    assertThat(documented).hasSize(7);
    assertThat(parse(documented)).isEqualTo(parse(Map.of()));
  }

  @Test
  void shouldRefuseABadValueOrATypoByName() {
    assertThatThrownBy(() -> parse(Map.of("jmx.ssl", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jmx.ssl")
        .hasMessageContaining("yes");
    assertThatThrownBy(() -> parse(Map.of("prometheus.prot", "9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean prometheus.port?");
  }

  @Test
  void shouldGenerateTheSettingsTableOfTheDocs() throws IOException {
    SettingsDocs.checkBlock("jmx.md", "jmx", JmxSettings.table());
  }

  @Test
  void shouldAcceptEveryConsoleKeyTheDocsName() throws IOException {
    List<String> refused = new ArrayList<>();
    int named = 0;
    for (String doc : List.of("jmx.md", "prometheus.md", "node.md")) {
      Matcher m = KEY_ROW.matcher(SettingsDocs.read(doc));
      while (m.find()) {
        named++;
        if (!JmxSettings.table().accepts(m.group(1))) {
          refused.add(doc + ": " + m.group(1));
        }
      }
    }
    assertThat(named).as("console keys the docs name").isGreaterThanOrEqualTo(9);
    assertThat(refused).isEmpty();
  }
}
