package io.meshlog.eventlog.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.config.SettingsTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generated settings blocks of {@code docs/}: between {@code <!-- settings:NAME -->} and {@code
 * <!-- /settings -->} a doc holds exactly the rows its declared table renders. With {@code
 * -Dmeshlog.docs.write=true} a block that differs is rewritten instead of failing.
 */
public final class SettingsDocs {
  /** The project's docs folder, seen from a module's directory (where tests run). */
  public static final Path DOCS = Path.of("..", "docs");

  private static final String HEADER = "| key | default | meaning |\n|---|---|---|\n";

  private SettingsDocs() {}

  /** Fails unless {@code doc}'s block {@code name} is what {@code table} renders. */
  public static void checkBlock(String doc, String name, SettingsTable<?> table)
      throws IOException {
    String text = read(doc);
    String begin = "<!-- settings:" + name + " -->\n";
    String end = "<!-- /settings -->";
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from);
    assertThat(from).as(doc + " has a " + begin.trim() + " block").isNotNegative();
    assertThat(to).as(doc + " closes its settings block").isPositive();
    String expected = HEADER + table.markdownRows();
    String actual = text.substring(from + begin.length(), to);
    if (!actual.equals(expected) && Boolean.getBoolean("meshlog.docs.write")) {
      Files.writeString(
          DOCS.resolve(doc),
          text.substring(0, from + begin.length()) + expected + text.substring(to),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual)
        .as(doc + " settings block (regenerate: -Dmeshlog.docs.write=true)")
        .isEqualTo(expected);
  }

  /** The text of {@code docs/<doc>}. */
  public static String read(String doc) throws IOException {
    return Files.readString(DOCS.resolve(doc), StandardCharsets.UTF_8);
  }
}
