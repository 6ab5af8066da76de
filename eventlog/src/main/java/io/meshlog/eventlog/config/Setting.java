package io.meshlog.eventlog.config;

import java.util.Objects;

/**
 * One declared setting: its key, the type of its value as shown to operators, its default as
 * documented, a one-line meaning, and how a value is applied to a target (parsing and checking it).
 * A key ending in {@code .*} is a prefix: every key under it is accepted and handed to {@link
 * #apply} whole, for settings passed through to a library (client properties, say).
 *
 * <p>Immutable and thread-safe; applying is as thread-safe as the target.
 *
 * @param <S> what the setting is applied to (usually a builder)
 * @param key the key, or a prefix ending in {@code .*}
 * @param type the value's type in the docs' terms: {@code int}, {@code duration}, {@code size} …
 * @param defaultValue the default as documented, e.g. {@code 10s}
 * @param meaning one line for the docs table
 * @param apply parses, checks and applies a value; throws {@link IllegalArgumentException} made by
 *     {@link SettingValues#bad} when the value is bad
 */
public record Setting<S>(
    String key, String type, String defaultValue, String meaning, Applier<S> apply) {

  /** Applies one value of a setting to a target. */
  @FunctionalInterface
  public interface Applier<S> {
    /**
     * @param target what the value goes to
     * @param key the full key given (for a prefix setting, the key under the prefix)
     * @param value the value, trimmed
     * @throws IllegalArgumentException naming the key and value when the value is bad
     */
    void apply(S target, String key, String value);
  }

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(meaning, "meaning");
    Objects.requireNonNull(apply, "apply");
  }

  /** A plain setting whose applier ignores the key it was given. */
  public static <S> Setting<S> of(
      String key,
      String type,
      String defaultValue,
      String meaning,
      java.util.function.BiConsumer<S, String> apply) {
    return new Setting<>(key, type, defaultValue, meaning, (s, k, v) -> apply.accept(s, v));
  }

  /** Whether this is a prefix setting ({@code export.kafka.*}). */
  public boolean isPrefix() {
    return key.endsWith(".*");
  }

  /** Whether {@code given} is this setting's key, or a key under its prefix. */
  public boolean matches(String given) {
    if (isPrefix()) {
      String prefix = key.substring(0, key.length() - 1);
      return given.startsWith(prefix) && given.length() > prefix.length();
    }
    return key.equals(given);
  }
}
