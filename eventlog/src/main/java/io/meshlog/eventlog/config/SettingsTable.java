package io.meshlog.eventlog.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A set of declared {@link Setting}s with unique keys, in declaration order: one part's settings,
 * or the union of several parts' ({@link #union}). {@link #apply} is the only parser of {@code key
 * = value} settings: an unknown key is refused by name (with the nearest declared key when one is
 * close), a bad value is refused by its setting with the key and value named.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <S> what the settings are applied to
 */
public final class SettingsTable<S> {

  private final List<Setting<S>> settings;

  private SettingsTable(List<Setting<S>> settings) {
    this.settings = List.copyOf(settings);
    List<String> seen = new ArrayList<>();
    for (Setting<S> s : this.settings) {
      if (seen.contains(s.key())) {
        throw new IllegalStateException("setting " + s.key() + " is declared twice");
      }
      seen.add(s.key());
    }
  }

  /**
   * @throws IllegalStateException when two settings share a key
   */
  public static <S> SettingsTable<S> of(List<Setting<S>> settings) {
    return new SettingsTable<>(settings);
  }

  /**
   * The settings of every table, in order.
   *
   * @throws IllegalStateException when two tables declare the same key
   */
  @SafeVarargs
  public static <S> SettingsTable<S> union(SettingsTable<S>... tables) {
    List<Setting<S>> all = new ArrayList<>();
    for (SettingsTable<S> t : tables) {
      all.addAll(t.settings);
    }
    return new SettingsTable<>(all);
  }

  /** This table applied to the part of a larger target that {@code part} picks. */
  public <T> SettingsTable<T> on(Function<T, S> part) {
    List<Setting<T>> out = new ArrayList<>();
    for (Setting<S> s : settings) {
      Setting.Applier<S> a = s.apply();
      out.add(
          new Setting<>(
              s.key(),
              s.type(),
              s.defaultValue(),
              s.meaning(),
              (t, k, v) -> a.apply(part.apply(t), k, v)));
    }
    return new SettingsTable<>(out);
  }

  /** The settings, in declaration order. */
  public List<Setting<S>> settings() {
    return settings;
  }

  /** The declared keys (prefixes with their {@code .*}), in declaration order. */
  public List<String> keys() {
    return settings.stream().map(Setting::key).toList();
  }

  /** Whether {@code key} is declared, or lies under a declared prefix. */
  public boolean accepts(String key) {
    return find(key) != null;
  }

  /**
   * Applies every entry of {@code props} to {@code target}, in key order.
   *
   * @throws IllegalArgumentException naming every unknown key, or the first bad key and value
   */
  public void apply(S target, Map<String, String> props) {
    Map<String, String> sorted = new TreeMap<>(props);
    requireKnown(sorted.keySet());
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      find(e.getKey()).apply().apply(target, e.getKey(), e.getValue().trim());
    }
  }

  /**
   * Checks that every key is declared, before anything is applied.
   *
   * @throws IllegalArgumentException naming every unknown key
   */
  public void requireKnown(Collection<String> keys) {
    List<String> unknown = new ArrayList<>();
    for (String key : new TreeSet<>(keys)) {
      if (find(key) == null) {
        String near = nearest(key);
        unknown.add(near == null ? key : key + " (did you mean " + near + "?)");
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown config key(s): " + String.join(", ", unknown));
    }
  }

  /**
   * The settings as Markdown table rows {@code | `key` | `default` | meaning |}, one per line,
   * without the header.
   */
  public String markdownRows() {
    StringBuilder b = new StringBuilder();
    for (Setting<S> s : settings) {
      b.append("| `").append(s.key()).append("` | `").append(s.defaultValue()).append("` | ");
      b.append(s.meaning().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }

  /**
   * The settings as a commented Java properties file, one block per setting: its meaning and type
   * as a comment, then {@code #key = default}, so that uncommenting a line sets the default
   * explicitly. A prefix setting ({@code export.kafka.*}) shows its prefix.
   */
  public String propertiesTemplate() {
    StringBuilder b = new StringBuilder();
    for (Setting<S> s : settings) {
      b.append("# ").append(s.meaning()).append(" (").append(s.type()).append(")\n");
      b.append('#').append(s.key()).append(" = ").append(s.defaultValue()).append("\n\n");
    }
    return b.toString();
  }

  private Setting<S> find(String key) {
    for (Setting<S> s : settings) {
      if (s.matches(key)) {
        return s;
      }
    }
    return null;
  }

  /** A declared key within two edits of {@code key} (case ignored), or null. */
  private String nearest(String key) {
    String best = null;
    int bestDistance = 3;
    for (Setting<S> s : settings) {
      int d = distance(key.toLowerCase(Locale.ROOT), s.key().toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = s.key();
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
