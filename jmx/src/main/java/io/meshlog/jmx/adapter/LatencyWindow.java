package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.LatencySnapshot;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One live latency distribution: HdrHistogram at {@value #DIGITS} significant digits (every
 * percentile read is within 1% of a recorded latency), percentiles over the last {@link #SLOTS}
 * slots of {@link #SLOT_NANOS} (40 to 60 s), count and sum since start.
 *
 * <pre>
 *   writer ─► SingleWriterRecorder ──(read: swap)──► slot of this 20 s ─┐
 *                                                    slot of the last   ├─► window ─► percentiles
 *                                                    slot before that  ─┘
 * </pre>
 *
 * Latencies from {@value #LOWEST_NANOS} ns to {@link #HIGHEST_NANOS} (one hour) are told apart;
 * longer ones count as one hour. Samples move into a slot when a reader asks, so the window is
 * exact to the readers' interval (the JMX sampler reads every second).
 *
 * <p>Threading: {@link #record} from one writer thread, never blocked by readers; {@link #read} is
 * synchronized and may run on any thread.
 */
final class LatencyWindow {

  static final int DIGITS = 2;
  static final long LOWEST_NANOS = 1_000;
  static final long HIGHEST_NANOS = 3_600_000_000_000L;
  static final int SLOTS = 3;
  static final long SLOT_NANOS = 20_000_000_000L;

  private final SingleWriterRecorder recorder =
      new SingleWriterRecorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
  private volatile long count;
  private volatile long sumNanos;

  // guarded by this
  private final Histogram[] slots = new Histogram[SLOTS];
  private final long[] slotEpochs = new long[SLOTS];
  private final Histogram window = newHistogram();
  private Histogram interval;

  LatencyWindow() {
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = newHistogram();
      slotEpochs[i] = Long.MIN_VALUE;
    }
  }

  private static Histogram newHistogram() {
    return new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
  }

  /** Records one non-negative latency. Writer thread only; allocates nothing. */
  void record(long nanos) {
    long clamped = Math.max(LOWEST_NANOS, Math.min(nanos, HIGHEST_NANOS));
    recorder.recordValue(clamped);
    // Plain read-modify-write of volatiles: there is one writer.
    sumNanos = sumNanos + nanos;
    count = count + 1;
  }

  /** The distribution as of {@code nowNanos} (a monotonic clock reading, e.g. System.nanoTime). */
  synchronized LatencySnapshot read(long nowNanos) {
    interval = recorder.getIntervalHistogram(interval);
    long epoch = Math.floorDiv(nowNanos, SLOT_NANOS);
    int current = Math.floorMod(epoch, SLOTS);
    if (slotEpochs[current] != epoch) {
      slots[current].reset();
      slotEpochs[current] = epoch;
    }
    slots[current].add(interval);
    window.reset();
    for (int i = 0; i < SLOTS; i++) {
      if (slotEpochs[i] > epoch - SLOTS) {
        window.add(slots[i]);
      }
    }
    long total = count;
    long sum = sumNanos;
    long n = window.getTotalCount();
    if (n == 0) {
      return new LatencySnapshot(total, sum, 0, -1, -1, -1, -1, -1);
    }
    return new LatencySnapshot(
        total,
        sum,
        n,
        window.getValueAtPercentile(50),
        window.getValueAtPercentile(90),
        window.getValueAtPercentile(99),
        window.getValueAtPercentile(99.9),
        window.getMaxValue());
  }

  /** Whether two latencies in ns are the same to this window's precision (tests). */
  boolean sameToPrecision(long a, long b) {
    return window.valuesAreEquivalent(a, b);
  }
}
