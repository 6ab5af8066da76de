package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingValues;
import io.meshlog.eventlog.config.SettingsTable;
import java.util.List;
import java.util.Map;

/**
 * Settings of the projection store, with documented defaults.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>projections.writeBufferSize</td><td>64 MiB</td>
 *       <td>RocksDB memtable size per column family; 1 MiB .. 1 GiB</td></tr>
 *   <tr><td>projections.syncMode</td><td>NONE</td>
 *       <td>NONE: batches reach the OS, a process crash loses nothing but a power loss may
 *       lose the tail (rebuilt from the journal on restart); EVERY_BATCH: fsync each batch</td></tr>
 *   <tr><td>projections.catchUpBatchEvents</td><td>8192</td>
 *       <td>events per write batch when catching up from the journal; 1 .. 1,048,576</td></tr>
 * </table>
 *
 * @param writeBufferSize bytes per memtable
 * @param syncMode when to fsync
 * @param catchUpBatchEvents events per batch during catch-up and rebuild
 */
public record ProjectionConfig(long writeBufferSize, SyncMode syncMode, int catchUpBatchEvents) {

  /** When a committed batch is forced to disk. */
  public enum SyncMode {
    /** Write-ahead log written, not fsynced: survives kill -9, not a power loss. */
    NONE,
    /** Write-ahead log fsynced on every batch. */
    EVERY_BATCH
  }

  /**
   * Reads {@code projections.*} keys from {@code props}; absent keys keep their defaults, other
   * keys are ignored. Sizes are bytes or a number with k, m or g (binary units).
   *
   * @throws IllegalArgumentException naming the key and value when one is invalid
   */
  public static ProjectionConfig fromProperties(Map<String, String> props) {
    Draft d = new Draft();
    Map<String, String> own = new java.util.LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (SETTINGS.accepts(k)) {
            own.put(k, v);
          }
        });
    SETTINGS.apply(d, own);
    return d.config.validate();
  }

  /** A config being read from settings; not thread-safe. */
  public static final class Draft {
    private ProjectionConfig config = defaults();

    /** The config read so far (not validated). */
    public ProjectionConfig config() {
      return config;
    }
  }

  /** The {@code projections.*} settings, applied to a {@link Draft}; the table in docs/node.md. */
  public static SettingsTable<Draft> settings() {
    return SETTINGS;
  }

  private static final SettingsTable<Draft> SETTINGS =
      SettingsTable.of(
          List.of(
              Setting.of(
                  "projections.writeBufferSize",
                  "size",
                  "64m",
                  "RocksDB memtable size per column family",
                  (d, v) ->
                      d.config =
                          d.config.withWriteBufferSize(
                              SettingValues.size("projections.writeBufferSize", v))),
              Setting.of(
                  "projections.syncMode",
                  "enum",
                  "NONE",
                  "NONE or EVERY_BATCH (fsync each batch)",
                  (d, v) ->
                      d.config =
                          d.config.withSyncMode(
                              SettingValues.enumValue(SyncMode.class, "projections.syncMode", v))),
              Setting.of(
                  "projections.catchUpBatchEvents",
                  "size",
                  "8192",
                  "events per batch when catching up from the journal",
                  (d, v) ->
                      d.config =
                          d.config.withCatchUpBatchEvents(
                              SettingValues.intSize("projections.catchUpBatchEvents", v)))));

  /** The defaults in the table above. */
  public static ProjectionConfig defaults() {
    return new ProjectionConfig(64L << 20, SyncMode.NONE, 8192);
  }

  public ProjectionConfig withWriteBufferSize(long bytes) {
    return new ProjectionConfig(bytes, syncMode, catchUpBatchEvents);
  }

  public ProjectionConfig withSyncMode(SyncMode mode) {
    return new ProjectionConfig(writeBufferSize, mode, catchUpBatchEvents);
  }

  public ProjectionConfig withCatchUpBatchEvents(int events) {
    return new ProjectionConfig(writeBufferSize, syncMode, events);
  }

  /**
   * Checks every setting.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public ProjectionConfig validate() {
    if (writeBufferSize < (1L << 20) || writeBufferSize > (1L << 30)) {
      throw bad("projections.writeBufferSize", writeBufferSize, "must be 1 MiB .. 1 GiB");
    }
    if (syncMode == null) {
      throw bad("projections.syncMode", null, "must be NONE or EVERY_BATCH");
    }
    if (catchUpBatchEvents < 1 || catchUpBatchEvents > (1 << 20)) {
      throw bad("projections.catchUpBatchEvents", catchUpBatchEvents, "must be 1 .. 1048576");
    }
    return this;
  }

  private static IllegalArgumentException bad(String key, Object value, String rule) {
    return SettingValues.bad(key, value, rule);
  }
}
