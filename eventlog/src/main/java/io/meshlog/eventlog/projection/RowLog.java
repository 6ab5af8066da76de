package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The rows a {@link ProjectionStore} was asked to write, batch by batch, kept in one growing array
 * so {@link WriteCeiling} can write exactly the same rows again without the projection logic.
 *
 * <pre>
 *   entry:  u8 column ordinal | u16 key length | key | u16 value length | value
 *   batch end: u8 0xFF
 * </pre>
 *
 * <p>Not thread-safe: owned by the thread that applies events.
 */
final class RowLog {
  static final int BATCH_END = 0xFF;

  private byte[] bytes = new byte[1 << 20];
  private int length;
  private long rows;
  private long rowBytes;
  private long batches;

  void row(Column column, ByteBuffer key, ByteBuffer value) {
    int k = key.remaining();
    int v = value.remaining();
    ensure(5 + k + v);
    bytes[length++] = (byte) column.ordinal();
    length = putShort(length, k);
    key.duplicate().get(bytes, length, k);
    length += k;
    length = putShort(length, v);
    value.duplicate().get(bytes, length, v);
    length += v;
    rows++;
    rowBytes += k + v;
  }

  void batchEnd() {
    ensure(1);
    bytes[length++] = (byte) BATCH_END;
    batches++;
  }

  long rows() {
    return rows;
  }

  long rowBytes() {
    return rowBytes;
  }

  long batches() {
    return batches;
  }

  /** Writes every logged row into {@code store}, committing where the logged batches ended. */
  void replay(ProjectionStore store) {
    ByteBuffer key = ByteBuffer.allocateDirect(1 << 16);
    ByteBuffer value = ByteBuffer.allocateDirect(1 << 16);
    Column[] columns = Column.values();
    int at = 0;
    while (at < length) {
      int c = bytes[at++] & 0xFF;
      if (c == BATCH_END) {
        store.commit();
        continue;
      }
      int k = getShort(at);
      at += 2;
      key.clear();
      key.put(bytes, at, k).flip();
      at += k;
      int v = getShort(at);
      at += 2;
      value.clear();
      value.put(bytes, at, v).flip();
      at += v;
      store.put(columns[c], key, value);
    }
  }

  private int putShort(int at, int v) {
    bytes[at] = (byte) (v >>> 8);
    bytes[at + 1] = (byte) v;
    return at + 2;
  }

  private int getShort(int at) {
    return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) length + more);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("row log full: record fewer events");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }
}
