package io.meshlog.reconciliation.replay;

import java.util.Set;

/**
 * What to analyse and show. Analysis always covers every message of the selected topics (ordering
 * needs them all); {@code from}/{@code to}, {@code origin} and {@code peer} select what the report
 * shows and counts.
 *
 * @param topics topics to analyse; empty means all
 * @param fromNanos show messages first delivered at or after this time (reference clock);
 *     Long.MIN_VALUE for no bound
 * @param toNanos show messages first delivered at or before this time; Long.MAX_VALUE for no bound
 * @param peer show only this node (base58 peer id) in deliveries and anomalies; null for all
 * @param origin show only messages of this origin (base58 peer id); null for all
 * @param lateAfterNanos a delivery later than this after the first delivery anywhere is {@code
 *     late}
 * @param skewCorrection estimate each node's clock offset and correct times with it
 * @param skipBad leave out unreadable data directories (or stop reading one at its damage) instead
 *     of failing
 */
public record ReplayOptions(
    Set<String> topics,
    long fromNanos,
    long toNanos,
    String peer,
    String origin,
    long lateAfterNanos,
    boolean skewCorrection,
    boolean skipBad) {

  /** The default threshold of {@code late}: one second. */
  public static final long DEFAULT_LATE_AFTER_NANOS = 1_000_000_000L;

  public ReplayOptions {
    topics = Set.copyOf(topics);
    if (lateAfterNanos < 0) {
      throw new IllegalArgumentException("late-after must be >= 0, was " + lateAfterNanos);
    }
    if (fromNanos > toNanos) {
      throw new IllegalArgumentException("from " + fromNanos + " is after to " + toNanos);
    }
  }

  /** Everything shown, late after 1 s, skew corrected, bad input fails. */
  public static ReplayOptions defaults() {
    return new ReplayOptions(
        Set.of(),
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        null,
        null,
        DEFAULT_LATE_AFTER_NANOS,
        true,
        false);
  }

  public ReplayOptions withTopics(Set<String> t) {
    return new ReplayOptions(
        t, fromNanos, toNanos, peer, origin, lateAfterNanos, skewCorrection, skipBad);
  }

  public ReplayOptions withWindow(long from, long to) {
    return new ReplayOptions(
        topics, from, to, peer, origin, lateAfterNanos, skewCorrection, skipBad);
  }

  public ReplayOptions withPeer(String p) {
    return new ReplayOptions(
        topics, fromNanos, toNanos, p, origin, lateAfterNanos, skewCorrection, skipBad);
  }

  public ReplayOptions withOrigin(String o) {
    return new ReplayOptions(
        topics, fromNanos, toNanos, peer, o, lateAfterNanos, skewCorrection, skipBad);
  }

  public ReplayOptions withLateAfterNanos(long n) {
    return new ReplayOptions(topics, fromNanos, toNanos, peer, origin, n, skewCorrection, skipBad);
  }

  public ReplayOptions withSkewCorrection(boolean on) {
    return new ReplayOptions(topics, fromNanos, toNanos, peer, origin, lateAfterNanos, on, skipBad);
  }

  public ReplayOptions withSkipBad(boolean on) {
    return new ReplayOptions(
        topics, fromNanos, toNanos, peer, origin, lateAfterNanos, skewCorrection, on);
  }
}
