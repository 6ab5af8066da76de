package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.projection.ProjectionException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database behind the projections: the one class that touches RocksDB types. Opens the
 * column families of {@link Column}, checks the schema version, and offers one write batch, point
 * reads and cursors.
 *
 * <p>Writes ({@link #put}, {@link #commit}) belong to one thread; reads are thread-safe.
 */
final class ProjectionStore implements AutoCloseable {

  /**
   * Version of the key and value layouts of every column. Bump it when a layout changes; an older
   * directory is then rebuilt from the journal, a newer one is refused.
   */
  static final int SCHEMA_VERSION =
      2; // 2: final order (columns 6, 7), origin and signature indexes (8, 9)

  static final byte[] SCHEMA_KEY = "schema".getBytes(StandardCharsets.US_ASCII);
  static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SEQUENCE_KEY = "sequence".getBytes(StandardCharsets.US_ASCII);

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnOptions;
  private final List<ColumnFamilyHandle> handles;
  private final Map<Column, ColumnFamilyHandle> columns;
  private final WriteOptions writeOptions;
  private final WriteBatch batch = new WriteBatch();

  /** Non-null only while {@link WriteCeiling} records the rows written. */
  private RowLog recorder;

  private ProjectionStore(
      Path directory,
      RocksDB db,
      DBOptions dbOptions,
      ColumnFamilyOptions columnOptions,
      List<ColumnFamilyHandle> handles,
      Map<Column, ColumnFamilyHandle> columns,
      WriteOptions writeOptions) {
    this.directory = directory;
    this.db = db;
    this.dbOptions = dbOptions;
    this.columnOptions = columnOptions;
    this.handles = handles;
    this.columns = columns;
    this.writeOptions = writeOptions;
  }

  /**
   * Opens (or creates, when the directory is missing or empty) the store.
   *
   * @throws ProjectionException CORRUPT when the directory is not a readable projection store or
   *     holds an older schema; VERSION_UNSUPPORTED when a newer meshlog wrote it; STORAGE when
   *     RocksDB fails otherwise (lock held by another process, I/O)
   */
  static ProjectionStore open(Path directory, ProjectionConfig config) {
    return open(directory, config, false);
  }

  /**
   * Opens the store, or with {@code readOnly} a read-only view of it that takes no lock (so a tool
   * may read while a node writes) and sees what was committed when it opened.
   */
  static ProjectionStore open(Path directory, ProjectionConfig config, boolean readOnly) {
    config.validate();
    boolean fresh = isMissingOrEmpty(directory);
    if (fresh && readOnly) {
      throw new ProjectionException(Reason.CORRUPT, directory, "no projections here", null);
    }
    if (!fresh && !Files.exists(directory.resolve("CURRENT"))) {
      throw new ProjectionException(
          Reason.CORRUPT, directory, "not empty and holds no RocksDB database", null);
    }
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(fresh)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            .setKeepLogFileNum(3);
    ColumnFamilyOptions columnOptions =
        new ColumnFamilyOptions().setWriteBufferSize(config.writeBufferSize());
    WriteOptions writeOptions =
        new WriteOptions().setSync(config.syncMode() == ProjectionConfig.SyncMode.EVERY_BATCH);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    ProjectionStore store = null;
    try {
      List<ColumnFamilyDescriptor> descriptors;
      if (readOnly) {
        descriptors = descriptors(directory, false, columnOptions, false);
        db = RocksDB.openReadOnly(dbOptions, directory.toString(), descriptors, handles);
      } else {
        Files.createDirectories(directory);
        descriptors = descriptors(directory, fresh, columnOptions, true);
        db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
      }
      Map<Column, ColumnFamilyHandle> columns = new EnumMap<>(Column.class);
      for (int i = 0; i < descriptors.size(); i++) {
        String name = new String(descriptors.get(i).getName(), StandardCharsets.US_ASCII);
        for (Column c : Column.values()) {
          if (c.familyName().equals(name)) {
            columns.put(c, handles.get(i));
          }
        }
      }
      store =
          new ProjectionStore(
              directory, db, dbOptions, columnOptions, handles, columns, writeOptions);
      if (columns.size() != Column.values().length && !(readOnly && onlyKeptMissing(columns))) {
        // An older meshlog's store lacks the newer columns: say which schema it is, not only
        // that columns are missing.
        if (columns.containsKey(Column.META) && !fresh) {
          store.checkSchema(false);
        }
        throw new ProjectionException(Reason.CORRUPT, directory, "column families missing", null);
      }
      store.checkSchema(fresh);
      return store;
    } catch (RocksDBException | IOException | RuntimeException e) {
      if (store != null) {
        store.close();
      } else {
        for (ColumnFamilyHandle h : handles) {
          h.close();
        }
        if (db != null) {
          db.close();
        }
        writeOptions.close();
        columnOptions.close();
        dbOptions.close();
      }
      if (e instanceof ProjectionException) {
        throw (ProjectionException) e;
      }
      throw translate(directory, "open failed", e, true);
    }
  }

  /**
   * Whether only kept columns are absent: a read-only view of a store that an older meshlog wrote
   * and no node of this one has opened yet; its kept columns read as empty.
   */
  private static boolean onlyKeptMissing(Map<Column, ColumnFamilyHandle> columns) {
    for (Column c : Column.values()) {
      if (!c.kept() && !columns.containsKey(c)) {
        return false;
      }
    }
    return true;
  }

  private static List<ColumnFamilyDescriptor> descriptors(
      Path directory, boolean fresh, ColumnFamilyOptions columnOptions, boolean addMissing)
      throws RocksDBException {
    List<String> names = new ArrayList<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.US_ASCII));
    if (!fresh) {
      // Every family on disk must be opened, including ones a newer meshlog added.
      try (Options options = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
          String n = new String(name, StandardCharsets.US_ASCII);
          if (!names.contains(n)) {
            names.add(n);
          }
        }
      }
    }
    for (Column c : Column.values()) {
      if (addMissing && !names.contains(c.familyName())) {
        names.add(c.familyName());
      }
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String n : names) {
      descriptors.add(
          new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.US_ASCII), columnOptions));
    }
    return descriptors;
  }

  private void checkSchema(boolean fresh) throws RocksDBException {
    byte[] stored = db.get(columns.get(Column.META), SCHEMA_KEY);
    if (stored == null) {
      if (!fresh) {
        throw new ProjectionException(Reason.CORRUPT, directory, "no schema version stored", null);
      }
      try (WriteBatch init = new WriteBatch()) {
        init.put(
            columns.get(Column.META),
            SCHEMA_KEY,
            ByteBuffer.allocate(4).putInt(SCHEMA_VERSION).array());
        db.write(writeOptions, init);
      }
      return;
    }
    if (stored.length != Integer.BYTES) {
      throw new ProjectionException(Reason.CORRUPT, directory, "malformed schema version", null);
    }
    int version = ByteBuffer.wrap(stored).getInt();
    if (version > SCHEMA_VERSION) {
      throw new ProjectionException(
          Reason.VERSION_UNSUPPORTED,
          directory,
          "schema version "
              + version
              + " was written by a newer meshlog; this one reads up to "
              + SCHEMA_VERSION,
          null);
    }
    if (version < SCHEMA_VERSION) {
      throw new ProjectionException(
          Reason.CORRUPT,
          directory,
          "schema version "
              + version
              + " is outdated (this meshlog uses "
              + SCHEMA_VERSION
              + "); a node start or `meshlog projections rebuild` rebuilds it from the journal",
          null);
    }
  }

  Path directory() {
    return directory;
  }

  /** The checkpoint: the journal index of the last committed event, or -1. */
  long appliedIndex() {
    byte[] v = get(Column.META, APPLIED_KEY);
    return v == null ? -1 : ByteBuffer.wrap(v).getLong();
  }

  /** The node sequence of the last committed event, or -1. */
  long appliedSequence() {
    byte[] v = get(Column.META, SEQUENCE_KEY);
    return v == null ? -1 : ByteBuffer.wrap(v).getLong();
  }

  /** Adds a put to the pending batch. Both buffers are direct, read from position to limit. */
  void put(Column column, ByteBuffer key, ByteBuffer value) {
    if (recorder != null) {
      recorder.row(column, key, value);
    }
    try {
      batch.put(columns.get(column), key, value);
    } catch (RocksDBException e) {
      throw translate(directory, "batch put failed", e, false);
    }
  }

  /** Writes the pending batch atomically and starts a new one. */
  void commit() {
    if (recorder != null) {
      recorder.batchEnd();
    }
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw translate(directory, "commit failed", e, false);
    } finally {
      batch.clear();
    }
  }

  /**
   * Writes {@code puts} and {@code deletes} into {@code column} in one atomic write of their own,
   * apart from the pending batch: for a kept column, whose owner writes from its own thread.
   * RocksDB serializes it with the projection writer's commits.
   */
  void write(Column column, List<byte[][]> puts, List<byte[]> deletes) {
    ColumnFamilyHandle handle = handle(column);
    try (WriteBatch own = new WriteBatch()) {
      for (byte[] key : deletes) {
        own.delete(handle, key);
      }
      for (byte[][] kv : puts) {
        own.put(handle, kv[0], kv[1]);
      }
      db.write(writeOptions, own);
    } catch (RocksDBException e) {
      throw translate(directory, "write of column " + column + " failed", e, false);
    }
  }

  /** Whether the store has {@code column} (a read-only view of an older store may lack one). */
  boolean has(Column column) {
    return columns.containsKey(column);
  }

  private ColumnFamilyHandle handle(Column column) {
    ColumnFamilyHandle h = columns.get(column);
    if (h == null) {
      throw new ProjectionException(
          Reason.STORAGE, directory, "column " + column + " missing in a read-only view", null);
    }
    return h;
  }

  /** From now on, also logs every row put and every commit into {@code log}. */
  void record(RowLog log) {
    this.recorder = log;
  }

  byte[] get(Column column, byte[] key) {
    try {
      return db.get(columns.get(column), key);
    } catch (RocksDBException e) {
      throw translate(directory, "read failed", e, false);
    }
  }

  /** A cursor over a column in key order, positioned at the first key >= {@code from}. */
  Cursor cursor(Column column, byte[] from) {
    RocksIterator it = db.newIterator(columns.get(column));
    if (from == null) {
      it.seekToFirst();
    } else {
      it.seek(from);
    }
    return new Cursor(it);
  }

  /**
   * The last key at or before {@code key} in {@code column} and its value, or null when there is
   * none.
   */
  byte[][] lastAtOrBefore(Column column, byte[] key) {
    try (RocksIterator it = db.newIterator(columns.get(column))) {
      it.seekForPrev(key);
      return it.isValid() ? new byte[][] {it.key(), it.value()} : null;
    }
  }

  @Override
  public void close() {
    batch.close();
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    writeOptions.close();
    columnOptions.close();
    dbOptions.close();
  }

  /** Forward cursor over one column; close it. Not thread-safe. */
  static final class Cursor implements AutoCloseable {
    private final RocksIterator it;

    private Cursor(RocksIterator it) {
      this.it = it;
    }

    boolean valid() {
      return it.isValid();
    }

    byte[] key() {
      return it.key();
    }

    byte[] value() {
      return it.value();
    }

    void next() {
      it.next();
    }

    @Override
    public void close() {
      it.close();
    }
  }

  private static boolean isMissingOrEmpty(Path directory) {
    if (!Files.isDirectory(directory)) {
      return !Files.exists(directory);
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Maps a RocksDB failure to a reason. At open, anything but a held lock means the directory
   * cannot serve as a store (rebuilding it is the cure); later, a failure is a storage problem.
   */
  private static ProjectionException translate(
      Path directory, String what, Exception e, boolean atOpen) {
    Reason reason = Reason.STORAGE;
    if (atOpen && e instanceof RocksDBException) {
      Status status = ((RocksDBException) e).getStatus();
      Status.Code code = status == null ? Status.Code.Undefined : status.getCode();
      String message = String.valueOf(e.getMessage());
      boolean lock = message.contains("lock");
      if (code == Status.Code.Corruption
          || code == Status.Code.NotFound
          || code == Status.Code.InvalidArgument
          || (code == Status.Code.IOError && !lock)) {
        reason = Reason.CORRUPT;
      }
    }
    return new ProjectionException(reason, directory, what + ": " + e.getMessage(), e);
  }
}
