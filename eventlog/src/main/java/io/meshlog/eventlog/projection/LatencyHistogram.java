package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * Delivery latencies of one topic, in nanoseconds, kept with {@value #SIGNIFICANT_DIGITS}
 * significant digits: every value read back (a percentile, the maximum) is within 1% of a latency
 * that was recorded. Latencies from 0 up to {@link #HIGHEST_TRACKABLE_NANOS} (one day) are kept;
 * longer ones are recorded as one day.
 *
 * <p>Percentiles follow HdrHistogram: the value at percentile {@code p} is the smallest recorded
 * value (to the histogram's precision) that at least {@code p}% of the samples do not exceed.
 *
 * <p>Immutable and thread-safe.
 */
public final class LatencyHistogram {

  /** Significant decimal digits kept; fixed by the on-disk format. */
  public static final int SIGNIFICANT_DIGITS = 2;

  /** The longest latency kept apart from the others (one day); fixed by the on-disk format. */
  public static final long HIGHEST_TRACKABLE_NANOS = 86_400_000_000_000L;

  /** A histogram with no samples. */
  public static final LatencyHistogram EMPTY = new LatencyHistogram(newHistogram());

  /** The bytes {@link #encode} may need at most. */
  static final int MAX_ENCODED_SIZE = newHistogram().getNeededByteBufferCapacity();

  private final Histogram histogram;

  private LatencyHistogram(Histogram histogram) {
    this.histogram = histogram;
  }

  /** A new, empty, mutable histogram with this class's range and precision. */
  static Histogram newHistogram() {
    return new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  }

  /** Records one non-negative latency into {@code h}, clamped to the trackable range. */
  static void record(Histogram h, long nanos, long count) {
    h.recordValueWithCount(Math.min(nanos, HIGHEST_TRACKABLE_NANOS), count);
  }

  /** A snapshot (copy) of {@code h}. */
  static LatencyHistogram copyOf(Histogram h) {
    return new LatencyHistogram(h.copy());
  }

  /** {@code h} itself, which the caller gives up: nothing may record into it afterwards. */
  static LatencyHistogram own(Histogram h) {
    return new LatencyHistogram(h);
  }

  /**
   * Writes {@code h} in HdrHistogram's compact (uncompressed V2) encoding: a header and run-length
   * zig-zag varint counts. The encoding is a pure function of the recorded values.
   */
  static void encode(Histogram h, ByteBuffer out) {
    h.encodeIntoByteBuffer(out);
  }

  /** Reads what {@link #encode} wrote, consuming exactly its bytes. */
  static Histogram decode(ByteBuffer in) {
    Histogram h = Histogram.decodeFromByteBuffer(in, HIGHEST_TRACKABLE_NANOS);
    if (h.getNumberOfSignificantValueDigits() != SIGNIFICANT_DIGITS
        || h.getHighestTrackableValue() != HIGHEST_TRACKABLE_NANOS) {
      throw new IllegalArgumentException(
          "latency histogram with "
              + h.getNumberOfSignificantValueDigits()
              + " digits up to "
              + h.getHighestTrackableValue()
              + " ns; expected "
              + SIGNIFICANT_DIGITS
              + " up to "
              + HIGHEST_TRACKABLE_NANOS);
    }
    return h;
  }

  /** All samples. */
  public long total() {
    return histogram.getTotalCount();
  }

  /**
   * The latency at {@code percentile} (0 < percentile <= 100) in ns, or -1 when there are no
   * samples.
   */
  public long percentileNanos(double percentile) {
    return total() == 0 ? -1 : histogram.getValueAtPercentile(percentile);
  }

  /** The longest latency in ns (to the histogram's precision), or -1 when there are no samples. */
  public long maxNanos() {
    return total() == 0 ? -1 : histogram.getMaxValue();
  }

  /** Whether two latencies in ns are the same to this histogram's precision. */
  public boolean sameToPrecision(long a, long b) {
    return histogram.valuesAreEquivalent(
        Math.min(a, HIGHEST_TRACKABLE_NANOS), Math.min(b, HIGHEST_TRACKABLE_NANOS));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram && histogram.equals(((LatencyHistogram) o).histogram);
  }

  @Override
  public int hashCode() {
    return histogram.hashCode();
  }

  @Override
  public String toString() {
    return "LatencyHistogram[total="
        + total()
        + ", p50="
        + percentileNanos(50)
        + ", p99="
        + percentileNanos(99)
        + ", max="
        + maxNanos()
        + "]";
  }
}
