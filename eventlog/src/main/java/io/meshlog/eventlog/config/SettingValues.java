package io.meshlog.eventlog.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one grammar of setting values, and the one error format. Every parse method takes the key
 * only to name it in the error.
 *
 * <ul>
 *   <li>durations: a whole number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 *       ({@code 500ms}, {@code 30s}), a bare number of milliseconds, or ISO-8601 ({@code PT30S})
 *   <li>sizes: bytes, or a whole number with {@code k}, {@code m}, {@code g} (binary, also written
 *       {@code KiB}, {@code MiB}, {@code GiB})
 *   <li>booleans: {@code true} or {@code false}; lists: comma-separated
 * </ul>
 */
public final class SettingValues {

  private SettingValues() {}

  /** The error for a bad value: {@code invalid <key> = <value>: <why>}. */
  public static IllegalArgumentException bad(String key, Object value, String why) {
    return new IllegalArgumentException("invalid " + key + " = " + value + ": " + why);
  }

  /** Throws {@link #bad} unless {@code ok}. */
  public static void require(boolean ok, String key, Object value, String why) {
    if (!ok) {
      throw bad(key, value, why);
    }
  }

  public static int integer(String key, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, v, "not an integer");
    }
  }

  public static long longValue(String key, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, v, "not an integer");
    }
  }

  /** A finite double. */
  public static double dbl(String key, String v) {
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw bad(key, v, "not a number");
    }
  }

  public static boolean bool(String key, String v) {
    return switch (v.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw bad(key, v, "true or false");
    };
  }

  public static List<String> list(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  public static Duration duration(String key, String value) {
    String v = value.trim();
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      int split = 0;
      while (split < v.length() && Character.isDigit(v.charAt(split))) {
        split++;
      }
      long n = Long.parseLong(v.substring(0, split));
      return switch (v.substring(split).trim().toLowerCase(Locale.ROOT)) {
        case "", "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw bad(key, value, "a duration such as 500ms, 10s, 5m, 1h, 7d or PT10S");
    }
  }

  /** A size in bytes, at least 0. */
  public static long size(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("ib")) {
      v = v.substring(0, v.length() - 2);
    }
    int shift = 0;
    char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
    if (last == 'k' || last == 'm' || last == 'g') {
      shift = last == 'k' ? 10 : last == 'm' ? 20 : 30;
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, 1L << shift);
    } catch (NumberFormatException | ArithmeticException e) {
      throw bad(key, value, "a size: bytes, or a number with k, m or g (binary)");
    }
  }

  /** A size that must fit an int. */
  public static int intSize(String key, String value) {
    long n = size(key, value);
    require(n <= Integer.MAX_VALUE, key, value, "must be at most " + Integer.MAX_VALUE);
    return (int) n;
  }

  /** An enum constant, case-insensitive, {@code -} read as {@code _}. */
  public static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw bad(key, value, "must be one of " + allowed);
    }
  }
}
