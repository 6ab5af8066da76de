package io.meshlog.bench.eventlog;

import java.util.Arrays;

/**
 * Exact latency percentiles from a preallocated array: one slot per expected sample, so recording
 * allocates nothing. Single writer; read after the writer is done.
 */
final class LatencyRecorder {
  private final long[] samples;
  private volatile int count;

  LatencyRecorder(int capacity) {
    samples = new long[capacity];
  }

  void record(long nanos) {
    int n = count;
    if (n < samples.length) {
      samples[n] = nanos;
      count = n + 1;
    }
  }

  int count() {
    return count;
  }

  /** Sorts the samples; call once, after recording ended. */
  long[] sorted() {
    long[] s = Arrays.copyOf(samples, count);
    Arrays.sort(s);
    return s;
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
