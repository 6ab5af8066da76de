package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.JournalCounter;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The values of every {@link JournalCounter}. Each counter has one writer thread except ring stalls
 * and handler errors, which are rare and use an atomic add.
 */
final class Counters {
  private final AtomicLongArray values = new AtomicLongArray(JournalCounter.values().length);

  Counters() {
    set(JournalCounter.APPENDED_INDEX, -1);
    set(JournalCounter.NODE_SEQUENCE, -1);
  }

  void add(JournalCounter counter, long delta) {
    values.getAndAdd(counter.ordinal(), delta);
  }

  void increment(JournalCounter counter) {
    values.getAndIncrement(counter.ordinal());
  }

  /** Single-writer store: readers on other threads see it promptly, without a fence per call. */
  void set(JournalCounter counter, long value) {
    values.lazySet(counter.ordinal(), value);
  }

  long get(JournalCounter counter) {
    return values.get(counter.ordinal());
  }
}
