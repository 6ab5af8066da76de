package io.meshlog.reconciliation.replay;

import java.util.Arrays;

/** A growable list of longs without boxing. Not thread-safe. */
final class LongList {
  private long[] values = new long[8];
  private int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  long get(int i) {
    return values[i];
  }

  void set(int i, long v) {
    values[i] = v;
  }

  int size() {
    return size;
  }

  /** A sorted copy of the values. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }
}
