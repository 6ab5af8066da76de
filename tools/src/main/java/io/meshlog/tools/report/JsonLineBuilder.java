package io.meshlog.tools.report;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * JSON lines built in a reused char buffer, for the output that is most of a report: replay's
 * message lines, an object per node in each. The caller writes keys and punctuation as constants
 * ({@link #key}) in the documented order; values are escaped as Jackson's generator escapes them
 * (its {@link JsonStringEncoder}), so a line reads exactly as one Jackson would have written.
 * Strings that repeat (node ids, topics, labels) are escaped once.
 *
 * <p>Not thread-safe; one per writer.
 */
final class JsonLineBuilder {
  private static final char[] NULL = "null".toCharArray();
  private static final char[] TRUE = "true".toCharArray();
  private static final char[] FALSE = "false".toCharArray();
  private static final char[] LINE_SEPARATOR = System.lineSeparator().toCharArray();

  /** Longest decimal long with its sign. */
  private static final int MAX_LONG_CHARS = 20;

  private final Map<String, char[]> quoted = new HashMap<>();

  // The repeated strings come from the report's own caches, the same instance each time: a
  // direct-mapped cache by identity answers most lookups without hashing the string.
  private static final int RECENT = 64;
  private final String[] recentKey = new String[RECENT];
  private final char[][] recentQuoted = new char[RECENT][];
  private char[] buf = new char[4096];
  private int len;

  /** A constant of keys and punctuation, such as {@code ,"topic":}, made once. */
  static char[] key(String text) {
    return text.toCharArray();
  }

  JsonLineBuilder raw(char[] text) {
    ensure(text.length);
    System.arraycopy(text, 0, buf, len, text.length);
    len += text.length;
    return this;
  }

  JsonLineBuilder raw(char c) {
    ensure(1);
    buf[len++] = c;
    return this;
  }

  /** A string value that repeats across lines (escaped once), or null. */
  JsonLineBuilder repeated(String value) {
    if (value == null) {
      return raw(NULL);
    }
    int slot = System.identityHashCode(value) & (RECENT - 1);
    if (recentKey[slot] != value) {
      recentKey[slot] = value;
      recentQuoted[slot] = quoted.computeIfAbsent(value, JsonLineBuilder::quote);
    }
    return raw(recentQuoted[slot]);
  }

  /** A string value seen once (a message id): escaped in place, or null. */
  JsonLineBuilder string(String value) {
    if (value == null) {
      return raw(NULL);
    }
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return raw(quote(value));
      }
    }
    ensure(n + 2);
    buf[len++] = '"';
    value.getChars(0, n, buf, len);
    len += n;
    buf[len++] = '"';
    return this;
  }

  JsonLineBuilder number(long v) {
    ensure(MAX_LONG_CHARS);
    len = NumberOutput.outputLong(v, buf, len);
    return this;
  }

  JsonLineBuilder number(Long v) {
    return v == null ? raw(NULL) : number(v.longValue());
  }

  JsonLineBuilder number(Integer v) {
    return v == null ? raw(NULL) : number(v.longValue());
  }

  JsonLineBuilder bool(boolean v) {
    return raw(v ? TRUE : FALSE);
  }

  /** Ends a line with the platform's line separator, as {@link PrintWriter#println()} does. */
  JsonLineBuilder endLine() {
    return raw(LINE_SEPARATOR);
  }

  /** Writes the lines built so far to {@code out}, and empties the buffer. */
  void writeTo(PrintWriter out) {
    out.write(buf, 0, len);
    len = 0;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private static char[] quote(String value) {
    char[] inner = JsonStringEncoder.getInstance().quoteAsString(value);
    char[] q = new char[inner.length + 2];
    q[0] = '"';
    System.arraycopy(inner, 0, q, 1, inner.length);
    q[q.length - 1] = '"';
    return q;
  }
}
