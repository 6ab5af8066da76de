package io.meshlog.jmx.view;

/**
 * A delivery latency distribution as consoles show it: percentiles of the recent window, totals
 * since the node started. Latency is local receipt time less the publisher's time in the envelope
 * (so clock skew between the two machines adds to it or subtracts from it; see docs/prometheus.md).
 *
 * @param count deliveries measured since start
 * @param sumNanos their latencies added up, ns, since start
 * @param windowCount deliveries in the recent window the percentiles describe
 * @param p50Nanos median of the window, -1 when the window is empty
 * @param p90Nanos 90th percentile of the window, -1 when empty
 * @param p99Nanos 99th percentile of the window, -1 when empty
 * @param p999Nanos 99.9th percentile of the window, -1 when empty
 * @param maxNanos the window's longest, -1 when empty
 */
public record LatencySnapshot(
    long count,
    long sumNanos,
    long windowCount,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    long p999Nanos,
    long maxNanos) {

  /** Nothing measured. */
  public static final LatencySnapshot NONE = new LatencySnapshot(0, 0, 0, -1, -1, -1, -1, -1);
}
