package io.meshlog.eventlog.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The rows of a kept column of the projection store: state that its owner folds from the journal
 * itself, with a checkpoint of its own among the rows, and that outlives what journal retention
 * deletes. Unlike a view it is not recreated by a rebuild: {@link Projections#rebuild} carries its
 * rows over unchanged, {@link Projections#verify} does not compare it, and only a store deleted as
 * corrupt (or by hand) loses it. Keys and values are the owner's; this class never reads them.
 *
 * <p>The node's peer registry is the one such column ({@code docs/discovery.md}).
 *
 * <p>Thread-safe: {@link #write} is one atomic RocksDB write, from any one thread, beside the
 * projection writer's batches; {@link #forEach} reads what was committed. Both throw {@link
 * IllegalStateException} once the projections are closed.
 */
public final class KeptRows {

  /** Runs a store access under the projections' view lock (never after close). */
  interface Access {
    void run(Runnable action);
  }

  private final ProjectionStore store;
  private final Column column;
  private final Access access;
  private final boolean readOnly;

  KeptRows(ProjectionStore store, Column column, Access access, boolean readOnly) {
    this.store = store;
    this.column = column;
    this.access = access;
    this.readOnly = readOnly;
  }

  /** Hands every row, in unsigned key order, to {@code row}; none when the column is empty. */
  public void forEach(BiConsumer<byte[], byte[]> row) {
    access.run(
        () -> {
          if (!store.has(column)) {
            return;
          }
          try (ProjectionStore.Cursor c = store.cursor(column, null)) {
            for (; c.valid(); c.next()) {
              row.accept(c.key(), c.value());
            }
          }
        });
  }

  /**
   * Deletes {@code deletes} and puts each {key, value} of {@code puts}, all in one atomic write, so
   * a checkpoint row put here is never out of step with the rows it covers.
   *
   * @throws IllegalStateException on a read-only view, or once the projections are closed
   * @throws ProjectionException STORAGE when RocksDB fails
   */
  public void write(List<byte[][]> puts, List<byte[]> deletes) {
    if (readOnly) {
      throw new IllegalStateException("projections opened read-only: " + store.directory());
    }
    access.run(() -> store.write(column, puts, deletes));
  }

  /** Copies every row of this column into {@code target} (a rebuild keeping the column). */
  void copyTo(ProjectionStore target) {
    List<byte[][]> rows = new ArrayList<>();
    forEach((k, v) -> rows.add(new byte[][] {k, v}));
    if (!rows.isEmpty()) {
      target.write(column, rows, List.of());
    }
  }
}
