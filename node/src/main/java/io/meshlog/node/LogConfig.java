package io.meshlog.node;

import static io.meshlog.eventlog.config.SettingValues.integer;
import static io.meshlog.eventlog.config.SettingValues.require;
import static io.meshlog.eventlog.config.SettingValues.size;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.List;

/**
 * How {@code meshlog node} rolls its log file {@code <data-dir>/logs/meshlog.log}: daily and when
 * it reaches {@code maxFileBytes}, old files gzipped and kept {@code maxHistoryDays} days and
 * {@code totalSizeCapBytes} in all, so that months of uptime never fill the disk (docs/node.md,
 * "Logs"). The {@code log.*} settings, declared here once.
 *
 * @param maxFileBytes {@code log.maxFileSize}: a file rolls at this size; 50m, at least 64k
 * @param maxHistoryDays {@code log.maxHistory}: days of rolled files kept; 14 (1..3650)
 * @param totalSizeCapBytes {@code log.totalSizeCap}: rolled files kept in all; 500m, at least
 *     {@code log.maxFileSize}
 */
public record LogConfig(long maxFileBytes, int maxHistoryDays, long totalSizeCapBytes) {

  /** 50 MiB files, 14 days, 500 MiB in all. */
  public static final LogConfig DEFAULTS = new LogConfig(50L << 20, 14, 500L << 20);

  public LogConfig {
    require(maxFileBytes >= 64 << 10, "log.maxFileSize", maxFileBytes, "must be at least 64k");
    require(
        maxHistoryDays >= 1 && maxHistoryDays <= 3650,
        "log.maxHistory",
        maxHistoryDays,
        "must be 1..3650 days");
    require(
        totalSizeCapBytes >= maxFileBytes,
        "log.totalSizeCap",
        totalSizeCapBytes,
        "must be at least log.maxFileSize (" + maxFileBytes + " bytes)");
  }

  /** Values gathered from settings before the record is built (and checked). */
  static final class Draft {
    private long maxFileBytes = DEFAULTS.maxFileBytes();
    private int maxHistoryDays = DEFAULTS.maxHistoryDays();
    private long totalSizeCapBytes = DEFAULTS.totalSizeCapBytes();

    LogConfig build() {
      return new LogConfig(maxFileBytes, maxHistoryDays, totalSizeCapBytes);
    }
  }

  private static final SettingsTable<Draft> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.<Draft>of(
                  "log.maxFileSize",
                  "size",
                  "50m",
                  "`logs/meshlog.log` rolls at this size, and daily (at least 64k)",
                  (d, v) -> d.maxFileBytes = size("log.maxFileSize", v)),
              Setting.<Draft>of(
                  "log.maxHistory",
                  "int",
                  "14",
                  "days of rolled, gzipped log files kept (1..3650)",
                  (d, v) -> d.maxHistoryDays = integer("log.maxHistory", v)),
              Setting.<Draft>of(
                  "log.totalSizeCap",
                  "size",
                  "500m",
                  "rolled log files kept in all; the oldest go first (at least log.maxFileSize)",
                  (d, v) -> d.totalSizeCapBytes = size("log.totalSizeCap", v))));

  /** The {@code log.*} settings. */
  static SettingsTable<Draft> settings() {
    return SETTINGS;
  }
}
