package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.EventView;
import java.util.Arrays;

/**
 * Gives each distinct byte string (a message id, a peer id) a dense number 0, 1, 2... in the order
 * first seen. Open addressing over the bytes themselves, so that looking up a key read into a
 * reused buffer allocates nothing; a key is copied once, when it is first added.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class BytesIndex {
  private static final int EMPTY = -1;

  private int[] slots = new int[1024];
  private int[] hashes = new int[1024];
  private byte[][] keys = new byte[512][];
  private int size;

  BytesIndex() {
    Arrays.fill(slots, EMPTY);
  }

  int size() {
    return size;
  }

  /** The key numbered {@code id}; do not modify. */
  byte[] key(int id) {
    return keys[id];
  }

  /** The number of {@code key}, or -1 when it was never added. */
  int find(byte[] key) {
    return find(key, 0, key.length);
  }

  /** The number of the bytes {@code src[offset, offset + length)}, or -1 when never added. */
  int find(byte[] src, int offset, int length) {
    int h = hash(src, offset, length);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int id = slots[i];
      if (id == EMPTY) {
        return -1;
      }
      if (hashes[i] == h && same(keys[id], src, offset, length)) {
        return id;
      }
    }
  }

  /** The number of {@code key}, adding a copy of it when new. */
  int add(byte[] key) {
    return add(key, 0, key.length);
  }

  /**
   * The number of the bytes {@code src[offset, offset + length)}, adding a copy of them when new: a
   * key read in place is looked up without copying it.
   */
  int add(byte[] src, int offset, int length) {
    int h = hash(src, offset, length);
    int mask = slots.length - 1;
    int i = h & mask;
    for (; ; i = (i + 1) & mask) {
      int id = slots[i];
      if (id == EMPTY) {
        break;
      }
      if (hashes[i] == h && same(keys[id], src, offset, length)) {
        return id;
      }
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
    }
    int id = size++;
    keys[id] = Arrays.copyOfRange(src, offset, offset + length);
    slots[i] = id;
    hashes[i] = h;
    if (size * 2 > slots.length) {
      grow();
    }
    return id;
  }

  private static boolean same(byte[] key, byte[] src, int offset, int length) {
    return key.length == length && Arrays.equals(key, 0, length, src, offset, offset + length);
  }

  private void grow() {
    int[] newSlots = new int[slots.length * 2];
    int[] newHashes = new int[slots.length * 2];
    Arrays.fill(newSlots, EMPTY);
    int mask = newSlots.length - 1;
    for (int s = 0; s < slots.length; s++) {
      if (slots[s] != EMPTY) {
        int i = hashes[s] & mask;
        while (newSlots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        newSlots[i] = slots[s];
        newHashes[i] = hashes[s];
      }
    }
    slots = newSlots;
    hashes = newHashes;
  }

  /**
   * eventlog's in-place field hash (eight bytes at a time, already mixed), folded to an int: ids
   * that differ in a few low bytes (seqno counters) still spread over the slots.
   */
  private static int hash(byte[] src, int offset, int length) {
    long h = EventView.hash(src, offset, length);
    return (int) (h ^ (h >>> 32));
  }
}
