package io.meshlog.eventlog.projection;

import java.util.Locale;
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
    ProjectionConfig c = defaults();
    String v;
    if ((v = props.get("projections.writeBufferSize")) != null) {
      c = c.withWriteBufferSize(parseSize("projections.writeBufferSize", v));
    }
    if ((v = props.get("projections.syncMode")) != null) {
      try {
        c = c.withSyncMode(SyncMode.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw bad("projections.syncMode", v, "must be NONE or EVERY_BATCH");
      }
    }
    if ((v = props.get("projections.catchUpBatchEvents")) != null) {
      c = c.withCatchUpBatchEvents((int) parseSize("projections.catchUpBatchEvents", v));
    }
    return c.validate();
  }

  private static long parseSize(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    int shift = 0;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : 30;
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > (Integer.MAX_VALUE >> shift)) {
        throw bad(key, value, "out of range");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw bad(key, value, "not a size");
    }
  }

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
    return new IllegalArgumentException(key + "=" + value + ": " + rule);
  }
}
