package io.meshlog.eventlog;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param preallocateBytes {@code journal.preallocateBytes}: the most file space a background thread
 *     keeps allocated ahead of the writer, so the writer never faults on a file hole; the lead it
 *     keeps is the writer's busiest recent second, at least 1 MiB, at most this; 0 turns it off;
 *     default 64 MiB
 * @param minFreeBytes {@code journal.minFreeBytes}: the journal stops writing (STORAGE_FULL) while
 *     the disk has less free space than this, and writes again when space returns; default 64 MiB
 * @param maxRecordBytes {@code journal.maxRecordBytes}: larger events are rejected and counted;
 *     default 16 MiB
 * @param retentionIgnoreHolds {@code journal.retention.ignoreHolds}: retention deletes cycle files
 *     that a {@link RetentionHold} still needs (logged as WARN, counted); default false
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
    int maxRecordBytes,
    boolean retentionIgnoreHolds) {

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
    Map<String, String> own = new java.util.LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (SETTINGS.accepts(k)) {
            own.put(k, v);
          }
        });
    SETTINGS.apply(b, own);
    return b.build();
  }

  /** The {@code journal.*} settings, applied to a {@link Builder}; the table in docs/node.md. */
  public static SettingsTable<Builder> settings() {
    return SETTINGS;
  }

  private static final SettingsTable<Builder> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.of(
                  "journal.ringSize",
                  "size",
                  "65536",
                  "ring slots, a power of two",
                  (b, v) -> b.ringSize(SettingValues.intSize("journal.ringSize", v))),
              Setting.of(
                  "journal.waitStrategy",
                  "enum",
                  "SLEEPING",
                  "BLOCKING, SLEEPING, YIELDING or BUSY_SPIN (consumer threads)",
                  (b, v) ->
                      b.waitStrategy(
                          SettingValues.enumValue(WaitStrategy.class, "journal.waitStrategy", v))),
              Setting.of(
                  "journal.rollCycle",
                  "enum",
                  "FAST_HOURLY",
                  "how often a new cycle file starts (FIVE_MINUTELY … WEEKLY)",
                  (b, v) ->
                      b.rollCycle(
                          SettingValues.enumValue(RollCycle.class, "journal.rollCycle", v))),
              Setting.of(
                  "journal.retention.maxAge",
                  "duration",
                  "0",
                  "closed cycle files older than this are deleted (0 = forever)",
                  (b, v) ->
                      b.retentionMaxAge(SettingValues.duration("journal.retention.maxAge", v))),
              Setting.of(
                  "journal.retention.maxBytes",
                  "size",
                  "0",
                  "oldest closed cycle files deleted while the journal is larger (0 = unlimited)",
                  (b, v) ->
                      b.retentionMaxBytes(SettingValues.size("journal.retention.maxBytes", v))),
              Setting.of(
                  "journal.retention.interval",
                  "duration",
                  "1m",
                  "how often retention runs",
                  (b, v) ->
                      b.retentionInterval(SettingValues.duration("journal.retention.interval", v))),
              Setting.of(
                  "journal.preallocateBytes",
                  "size",
                  "64m",
                  "file space allocated ahead of the writer (0 = off)",
                  (b, v) -> b.preallocateBytes(SettingValues.size("journal.preallocateBytes", v))),
              Setting.of(
                  "journal.minFreeBytes",
                  "size",
                  "64m",
                  "below this much free disk the journal stops writing (STORAGE_FULL) until there is space again",
                  (b, v) -> b.minFreeBytes(SettingValues.size("journal.minFreeBytes", v))),
              Setting.of(
                  "journal.maxRecordBytes",
                  "size",
                  "16m",
                  "larger events are rejected and counted",
                  (b, v) -> b.maxRecordBytes(SettingValues.intSize("journal.maxRecordBytes", v))),
              Setting.of(
                  "journal.retention.ignoreHolds",
                  "boolean",
                  "false",
                  "delete cycle files a retention hold (the Kafka shipper) has not read yet;"
                      + " each is logged as a WARN and counted",
                  (b, v) ->
                      b.retentionIgnoreHolds(
                          SettingValues.bool("journal.retention.ignoreHolds", v)))));

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
    SettingValues.require(ok, key, value, rule);
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
    private boolean retentionIgnoreHolds;

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

    /** Delete cycle files by age or size even when a {@link RetentionHold} still needs them. */
    public Builder retentionIgnoreHolds(boolean retentionIgnoreHolds) {
      this.retentionIgnoreHolds = retentionIgnoreHolds;
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
              maxRecordBytes,
              retentionIgnoreHolds)
          .validate();
    }
  }
}
