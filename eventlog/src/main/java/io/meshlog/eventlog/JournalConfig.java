package io.meshlog.eventlog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of the journal, with its key, in one place. Build with {@link #builder(Path)} or
 * {@link #fromProperties(Path, Map)}; both run {@link #validate()}. The table of keys and defaults
 * is in {@code docs/journal.md}.
 *
 * @param dir {@code journal.dir}: the Chronicle Queue directory, {@code <data-dir>/journal}
 * @param ringSize {@code journal.ringSize}: ring slots, a power of two; default 65536
 * @param waitStrategy {@code journal.waitStrategy}: how consumer threads wait; default sleeping
 * @param rollCycle {@code journal.rollCycle}: how often a new cycle file starts; default
 *     FAST_HOURLY
 * @param retentionMaxAge {@code journal.retention.maxAge}: closed cycle files older than this are
 *     deleted; {@link Duration#ZERO} (default) keeps them forever
 * @param retentionMaxBytes {@code journal.retention.maxBytes}: oldest closed cycle files are
 *     deleted while the journal is larger; 0 (default) means unlimited
 * @param retentionInterval {@code journal.retention.interval}: how often retention runs; default 1m
 * @param preallocateBytes {@code journal.preallocateBytes}: how far ahead of the writer file blocks
 *     are allocated by a background thread, so the writer never faults on a file hole; 0 turns it
 *     off; default 64 MiB
 * @param minFreeBytes {@code journal.minFreeBytes}: the journal fails (STORAGE_FULL) rather than
 *     write when the disk has less free space than this; default 64 MiB
 * @param maxRecordBytes {@code journal.maxRecordBytes}: larger events are rejected and counted;
 *     default 16 MiB
 */
public record JournalConfig(
    Path dir,
    int ringSize,
    WaitStrategy waitStrategy,
    RollCycle rollCycle,
    Duration retentionMaxAge,
    long retentionMaxBytes,
    Duration retentionInterval,
    long preallocateBytes,
    long minFreeBytes,
    int maxRecordBytes) {

  /** How the journal's consumer threads wait for events (Disruptor wait strategies). */
  public enum WaitStrategy {
    /**
     * Lock and condition: no CPU when idle, but every publish takes a lock to signal the consumers,
     * and a woken consumer waits for the scheduler (tens of microseconds or more).
     */
    BLOCKING,
    /**
     * Park ~50-100 us at a time whenever there is nothing to consume: no lock on publish, a few
     * percent of a core per consumer thread while idle, and no spinning or yielding that would take
     * the CPU from producers on a small machine. The default.
     */
    SLEEPING,
    /** Spin then yield: lower latency still, a core per consumer thread while busy. */
    YIELDING,
    /** Spin: lowest latency, a full core per consumer thread always. */
    BUSY_SPIN
  }

  /** How often the journal starts a new cycle file; retention deletes whole cycle files. */
  public enum RollCycle {
    FIVE_MINUTELY,
    TEN_MINUTELY,
    TWENTY_MINUTELY,
    HALF_HOURLY,
    FAST_HOURLY,
    TWO_HOURLY,
    FOUR_HOURLY,
    SIX_HOURLY,
    FAST_DAILY,
    WEEKLY,
    /** One file per second: for tests of rolling and retention only. */
    TEST_SECONDLY
  }

  public static final int DEFAULT_RING_SIZE = 1 << 16;
  public static final long DEFAULT_PREALLOCATE_BYTES = 64L << 20;
  public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

  /** A builder with every default set. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /**
   * Reads {@code journal.*} keys from {@code props}; keys absent keep their defaults, other keys
   * are ignored. Durations are ISO-8601 ({@code PT1H}) or a number with a unit ({@code 7d}, {@code
   * 30m}, {@code 10s}, {@code 500ms}); sizes are bytes or a number with k/m/g (binary units).
   *
   * @throws IllegalArgumentException naming the key and value when one is invalid
   */
  public static JournalConfig fromProperties(Path dir, Map<String, String> props) {
    Builder b = builder(dir);
    String v;
    if ((v = props.get("journal.ringSize")) != null) {
      b.ringSize((int) parseSize("journal.ringSize", v));
    }
    if ((v = props.get("journal.waitStrategy")) != null) {
      b.waitStrategy(parseEnum(WaitStrategy.class, "journal.waitStrategy", v.replace('-', '_')));
    }
    if ((v = props.get("journal.rollCycle")) != null) {
      b.rollCycle(parseEnum(RollCycle.class, "journal.rollCycle", v));
    }
    if ((v = props.get("journal.retention.maxAge")) != null) {
      b.retentionMaxAge(parseDuration("journal.retention.maxAge", v));
    }
    if ((v = props.get("journal.retention.maxBytes")) != null) {
      b.retentionMaxBytes(parseSize("journal.retention.maxBytes", v));
    }
    if ((v = props.get("journal.retention.interval")) != null) {
      b.retentionInterval(parseDuration("journal.retention.interval", v));
    }
    if ((v = props.get("journal.preallocateBytes")) != null) {
      b.preallocateBytes(parseSize("journal.preallocateBytes", v));
    }
    if ((v = props.get("journal.minFreeBytes")) != null) {
      b.minFreeBytes(parseSize("journal.minFreeBytes", v));
    }
    if ((v = props.get("journal.maxRecordBytes")) != null) {
      b.maxRecordBytes((int) parseSize("journal.maxRecordBytes", v));
    }
    return b.build();
  }

  /**
   * Checks every setting.
   *
   * @return this config
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public JournalConfig validate() {
    require(dir != null, "journal.dir", dir, "is required");
    require(
        ringSize >= 2 && Integer.bitCount(ringSize) == 1,
        "journal.ringSize",
        ringSize,
        "must be a power of two >= 2");
    require(waitStrategy != null, "journal.waitStrategy", waitStrategy, "is required");
    require(rollCycle != null, "journal.rollCycle", rollCycle, "is required");
    require(
        retentionMaxAge != null && !retentionMaxAge.isNegative(),
        "journal.retention.maxAge",
        retentionMaxAge,
        "must be >= 0 (0 keeps files forever)");
    require(
        retentionMaxBytes >= 0,
        "journal.retention.maxBytes",
        retentionMaxBytes,
        "must be >= 0 (0 is unlimited)");
    require(
        retentionInterval != null && retentionInterval.toMillis() >= 10,
        "journal.retention.interval",
        retentionInterval,
        "must be at least 10ms");
    require(preallocateBytes >= 0, "journal.preallocateBytes", preallocateBytes, "must be >= 0");
    require(minFreeBytes >= 0, "journal.minFreeBytes", minFreeBytes, "must be >= 0");
    require(
        maxRecordBytes >= 64 && maxRecordBytes <= (256 << 20),
        "journal.maxRecordBytes",
        maxRecordBytes,
        "must be between 64 and 268435456");
    return this;
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(key + "=" + value + ": " + rule);
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(key + "=" + value + ": must be one of " + allowed, e);
    }
  }

  static Duration parseDuration(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(value.trim());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          return Duration.ofMillis(Long.parseLong(v));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + "=" + value + ": not a duration (e.g. PT1H, 7d, 30m, 10s, 500ms)", e);
    }
  }

  static long parseSize(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      int shift = 0;
      char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
      if (last == 'k' || last == 'm' || last == 'g') {
        shift = last == 'k' ? 10 : last == 'm' ? 20 : 30;
        v = v.substring(0, v.length() - 1);
      }
      return Math.multiplyExact(Long.parseLong(v), 1L << shift);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + "=" + value + ": not a size (bytes, or a number with k, m or g)", e);
    }
  }

  /** Builds a {@link JournalConfig}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final Path dir;
    private int ringSize = DEFAULT_RING_SIZE;
    private WaitStrategy waitStrategy = WaitStrategy.SLEEPING;
    private RollCycle rollCycle = RollCycle.FAST_HOURLY;
    private Duration retentionMaxAge = Duration.ZERO;
    private long retentionMaxBytes;
    private Duration retentionInterval = Duration.ofMinutes(1);
    private long preallocateBytes = DEFAULT_PREALLOCATE_BYTES;
    private long minFreeBytes = DEFAULT_MIN_FREE_BYTES;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder ringSize(int ringSize) {
      this.ringSize = ringSize;
      return this;
    }

    public Builder waitStrategy(WaitStrategy waitStrategy) {
      this.waitStrategy = waitStrategy;
      return this;
    }

    public Builder rollCycle(RollCycle rollCycle) {
      this.rollCycle = rollCycle;
      return this;
    }

    public Builder retentionMaxAge(Duration retentionMaxAge) {
      this.retentionMaxAge = retentionMaxAge;
      return this;
    }

    public Builder retentionMaxBytes(long retentionMaxBytes) {
      this.retentionMaxBytes = retentionMaxBytes;
      return this;
    }

    public Builder retentionInterval(Duration retentionInterval) {
      this.retentionInterval = retentionInterval;
      return this;
    }

    public Builder preallocateBytes(long preallocateBytes) {
      this.preallocateBytes = preallocateBytes;
      return this;
    }

    public Builder minFreeBytes(long minFreeBytes) {
      this.minFreeBytes = minFreeBytes;
      return this;
    }

    public Builder maxRecordBytes(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the bad key and value
     */
    public JournalConfig build() {
      return new JournalConfig(
              dir,
              ringSize,
              waitStrategy,
              rollCycle,
              retentionMaxAge,
              retentionMaxBytes,
              retentionInterval,
              preallocateBytes,
              minFreeBytes,
              maxRecordBytes)
          .validate();
    }
  }
}
