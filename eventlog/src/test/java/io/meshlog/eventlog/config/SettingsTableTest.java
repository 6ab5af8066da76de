package io.meshlog.eventlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTableTest {

  /** A target with one field per kind of value. */
  static final class Target {
    Duration wait = Duration.ofSeconds(1);
    long bytes;
    final Map<String, String> client = new LinkedHashMap<>();
  }

  private final SettingsTable<Target> table =
      SettingsTable.of(
          List.of(
              Setting.of(
                  "part.wait",
                  "duration",
                  "1s",
                  "how long",
                  (t, v) -> t.wait = SettingValues.duration("part.wait", v)),
              Setting.of(
                  "part.bytes",
                  "size",
                  "0",
                  "how much",
                  (t, v) -> t.bytes = SettingValues.size("part.bytes", v)),
              new Setting<Target>(
                  "part.client.*",
                  "string",
                  "none",
                  "passed to the client",
                  (t, k, v) -> t.client.put(k.substring("part.client.".length()), v))));

  @Test
  void shouldApplyEveryGrammarForm() {
    for (Map.Entry<String, Duration> e :
        Map.of(
                "500ms", Duration.ofMillis(500),
                "30s", Duration.ofSeconds(30),
                "2m", Duration.ofMinutes(2),
                "1h", Duration.ofHours(1),
                "7d", Duration.ofDays(7),
                "PT30S", Duration.ofSeconds(30),
                "250", Duration.ofMillis(250))
            .entrySet()) {
      Target t = new Target();
      table.apply(t, Map.of("part.wait", e.getKey()));
      assertThat(t.wait).as(e.getKey()).isEqualTo(e.getValue());
    }
    Target t = new Target();
    table.apply(t, Map.of("part.bytes", "64m"));
    assertThat(t.bytes).isEqualTo(64L << 20);
    table.apply(t, Map.of("part.bytes", "2KiB"));
    assertThat(t.bytes).isEqualTo(2048);
  }

  @Test
  void shouldPassPrefixKeysThrough() {
    Target t = new Target();
    table.apply(t, Map.of("part.client.acks", "all", "part.client.linger.ms", "5"));
    assertThat(t.client).containsEntry("acks", "all").containsEntry("linger.ms", "5");
    assertThat(table.accepts("part.client.")).isFalse();
  }

  @Test
  void shouldRefuseUnknownKeyWithNearestDeclaredKey() {
    assertThatThrownBy(() -> table.apply(new Target(), Map.of("part.wiat", "1s")))
        .hasMessage("unknown config key(s): part.wiat (did you mean part.wait?)");
  }

  @Test
  void shouldNameKeyAndValueOfBadValue() {
    assertThatThrownBy(() -> table.apply(new Target(), Map.of("part.wait", "soon")))
        .hasMessageStartingWith("invalid part.wait = soon: ");
    assertThatThrownBy(() -> table.apply(new Target(), Map.of("part.bytes", "-1")))
        .hasMessageStartingWith("invalid part.bytes = -1: ");
  }

  @Test
  void shouldRefuseDuplicateKeysInUnion() {
    assertThatThrownBy(() -> SettingsTable.union(table, table))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("part.wait");
  }
}
