package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.testing.SettingsDocs;
import io.meshlog.node.gossipsub.GossipsubSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings tables in {@code docs/} come from the declarations: the generated blocks (between
 * {@code <!-- settings:NAME -->} and {@code <!-- /settings -->}) must equal what the tables render,
 * and every key any other docs table names must be accepted. Run with {@code
 * -Dmeshlog.docs.write=true} to rewrite the generated blocks. The consoles' keys ({@code jmx.md})
 * are the jmx module's, checked there.
 */
class SettingsDocsTest {

  /** Documented defaults that describe rather than give a value. */
  private static final Set<String> NOT_A_VALUE =
      Set.of("required", "none", "generated", "meshlog/<version>");

  private static final Pattern KEY_ROW =
      Pattern.compile(
          "^\\| `((?:node|host|gossipsub|discovery|directory|journal|projections|jmx|prometheus|yamux|sync|export|reconciliation|reconnect|registry|log)(?:\\.[a-z*][A-Za-z*]*)+)` \\| ([^|]*) \\|",
          Pattern.MULTILINE);

  @Test
  void shouldGenerateNodeSettingsTable() throws IOException {
    SettingsDocs.checkBlock("node.md", "node", NodeProperties.table());
  }

  @Test
  void shouldGenerateGossipsubSettingsTable() throws IOException {
    SettingsDocs.checkBlock("gossipsub.md", "gossipsub", GossipsubSettings.table());
  }

  @Test
  void shouldGenerateSyncSettingsTable() throws IOException {
    SettingsDocs.checkBlock("sync.md", "sync", io.meshlog.node.sync.SyncSettings.table());
  }

  @Test
  void shouldAcceptEveryDocumentedKey() throws IOException {
    List<String> refused = new ArrayList<>();
    for (String doc :
        List.of(
            "node.md",
            "gossipsub.md",
            "journal.md",
            "projections.md",
            "yamux.md",
            "sync.md",
            "export.md",
            "discovery.md",
            "reconciliation.md")) {
      Matcher m = KEY_ROW.matcher(read(doc));
      while (m.find()) {
        String key = m.group(1);
        // journal.dir is documented as derived from node.dataDir, not a key of its own
        if (!key.equals("journal.dir") && !NodeProperties.table().accepts(key)) {
          refused.add(doc + ": " + key);
        }
      }
    }
    assertThat(refused).isEmpty();
  }

  /**
   * A table kept by hand beside its prose (journal.md, projections.md, export.md, discovery.md)
   * gives the declared default of every key it lists: backticks, a note in parentheses and the case
   * of an enum name aside ({@code `0` (forever)} reads as {@code 0}).
   */
  @Test
  void shouldGiveTheDeclaredDefaultInEveryHandKeptTable() throws IOException {
    Map<String, String> declared = new HashMap<>();
    for (Setting<?> s : NodeProperties.table().settings()) {
      declared.put(s.key(), plain(s.defaultValue()));
    }
    List<String> wrong = new ArrayList<>();
    for (String doc : List.of("journal.md", "projections.md", "export.md", "discovery.md")) {
      Matcher m = KEY_ROW.matcher(read(doc));
      while (m.find()) {
        String want = declared.get(m.group(1));
        String shown = plain(m.group(2));
        if (want != null && !want.equals(shown)) {
          wrong.add(doc + ": " + m.group(1) + " shows " + shown + ", declared " + want);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** A default as read: without backticks and a note in parentheses; enum names in any case. */
  private static String plain(String value) {
    return value
        .replaceAll("\\s*\\(.*\\)$", "")
        .replace("`", "")
        .trim()
        .toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-');
  }

  @Test
  void shouldDocumentTheDefaultsInForce(@TempDir Path tmp) {
    Map<String, String> props = new HashMap<>();
    for (Setting<?> s : NodeProperties.table().settings()) {
      if (!s.isPrefix() && !NOT_A_VALUE.contains(s.defaultValue())) {
        props.put(s.key(), s.defaultValue());
      }
    }
    props.put("node.dataDir", tmp.toString());
    NodeConfig documented = NodeConfig.fromProperties(props);
    NodeConfig builtIn = NodeConfig.fromProperties(Map.of("node.dataDir", tmp.toString()));
    assertThat(props).hasSizeGreaterThan(80);
    assertThat(documented).isEqualTo(builtIn);
  }

  private static String read(String doc) throws IOException {
    return SettingsDocs.read(doc);
  }
}
