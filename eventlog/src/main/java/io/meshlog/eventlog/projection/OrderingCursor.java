package io.meshlog.eventlog.projection;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates the ordering index of one topic in (Lamport time, origin, origin seqno) order, over a
 * consistent snapshot taken when it was opened. Close it to release the snapshot.
 *
 * <p>Not thread-safe: one thread per cursor.
 */
public final class OrderingCursor implements Iterator<OrderingEntry>, AutoCloseable {

  private final String topic;
  private final byte[] prefix;
  private final ProjectionStore.Cursor cursor;

  OrderingCursor(ProjectionStore store, String topic) {
    this.topic = topic;
    this.prefix = OrderingKey.prefix(topic);
    this.cursor = store.cursor(Column.ORDERING, prefix);
  }

  @Override
  public boolean hasNext() {
    return cursor.valid() && OrderingKey.hasPrefix(cursor.key(), prefix);
  }

  @Override
  public OrderingEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    OrderingEntry entry = OrderingKey.decode(topic, cursor.key(), cursor.value());
    cursor.next();
    return entry;
  }

  @Override
  public void close() {
    cursor.close();
  }
}
