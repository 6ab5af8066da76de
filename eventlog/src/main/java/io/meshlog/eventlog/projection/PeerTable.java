package io.meshlog.eventlog.projection;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Peer rows keyed by the content of a binary peer id, so a lookup with the journal reader's reused
 * array allocates nothing (a {@code HashMap<ByteBuffer,..>} would need a wrapper per event). Open
 * addressing with linear probing; the key is copied once, on insert.
 *
 * <p>Not thread-safe: owned by the projection writer's thread.
 */
final class PeerTable {

  private PeerRow[] slots = new PeerRow[1024];
  private int size;

  int size() {
    return size;
  }

  /** The row of {@code peer}, created (with a copy of the key) when absent. */
  PeerRow getOrCreate(byte[] peer) {
    int mask = slots.length - 1;
    int i = hash(peer) & mask;
    while (true) {
      PeerRow row = slots[i];
      if (row == null) {
        row = new PeerRow(peer.clone());
        insert(row, i);
        return row;
      }
      if (Arrays.equals(row.peer, peer)) {
        return row;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds a row loaded from the store; its key must not be present yet. */
  void add(PeerRow row) {
    int mask = slots.length - 1;
    int i = hash(row.peer) & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    insert(row, i);
  }

  void forEach(Consumer<PeerRow> action) {
    for (PeerRow row : slots) {
      if (row != null) {
        action.accept(row);
      }
    }
  }

  private void insert(PeerRow row, int slot) {
    slots[slot] = row;
    if (++size * 2 > slots.length) {
      PeerRow[] old = slots;
      slots = new PeerRow[old.length * 2];
      size = 0;
      for (PeerRow r : old) {
        if (r != null) {
          add(r);
        }
      }
    }
  }

  /**
   * Peer ids end in key bytes that are already uniformly random (an identity multihash of a public
   * key), so the last eight bytes and the length make a good hash at a fraction of the cost of
   * {@link Arrays#hashCode(byte[])}, which was a tenth of the projection thread's time.
   */
  static int hash(byte[] key) {
    if (key.length < Long.BYTES) {
      int h = Arrays.hashCode(key);
      return h ^ (h >>> 16);
    }
    long tail = (long) LONGS.get(key, key.length - Long.BYTES) * 0x9E3779B97F4A7C15L;
    return (int) (tail >>> 32) ^ (int) tail ^ key.length;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
}
