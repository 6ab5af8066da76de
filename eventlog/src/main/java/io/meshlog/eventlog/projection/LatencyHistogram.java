package io.meshlog.eventlog.projection;

import java.util.Arrays;

/**
 * Delivery latencies of one topic in fixed log-scale buckets. Bucket 0 holds latencies below 1024
 * ns; bucket {@code k} in 1..38 holds {@code [2^(k+9), 2^(k+10))} ns; bucket 39 holds everything
 * from 2^48 ns (about 78 hours) up. The bounds are part of the on-disk format.
 *
 * <p>Immutable and thread-safe.
 */
public final class LatencyHistogram {

  /** Number of buckets; fixed by the on-disk format. */
  public static final int BUCKETS = 40;

  private static final int FIRST_SHIFT = 10;

  private final long[] counts;

  /** Takes a copy of {@code counts}, which must have {@link #BUCKETS} entries. */
  public LatencyHistogram(long[] counts) {
    if (counts.length != BUCKETS) {
      throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + counts.length);
    }
    this.counts = counts.clone();
  }

  /** The bucket a non-negative latency falls in. */
  public static int bucketOf(long latencyNanos) {
    int msb = 63 - Long.numberOfLeadingZeros(latencyNanos);
    if (msb < FIRST_SHIFT) {
      return 0;
    }
    return Math.min(msb - FIRST_SHIFT + 1, BUCKETS - 1);
  }

  /** Exclusive upper bound of a bucket in ns; {@link Long#MAX_VALUE} for the last one. */
  public static long upperBoundNanos(int bucket) {
    return bucket == BUCKETS - 1 ? Long.MAX_VALUE : 1L << (bucket + FIRST_SHIFT);
  }

  /** Samples in one bucket. */
  public long count(int bucket) {
    return counts[bucket];
  }

  /** All samples. */
  public long total() {
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    return sum;
  }

  /**
   * The upper bound of the bucket holding quantile {@code q} (0 < q <= 1), or -1 when empty: "q of
   * the deliveries took less than this".
   */
  public long quantileUpperBoundNanos(double q) {
    long total = total();
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBoundNanos(i);
      }
    }
    return upperBoundNanos(BUCKETS - 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram && Arrays.equals(counts, ((LatencyHistogram) o).counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + Arrays.toString(counts);
  }
}
