package io.meshlog.reconciliation;

/**
 * An inclusive range of sequence numbers, {@code from <= to}, both {@code >= 0}.
 *
 * @param from first sequence in the range
 * @param to last sequence in the range
 */
public record SeqRange(long from, long to) {

  /**
   * @throws IllegalArgumentException when {@code from} is negative or above {@code to}
   */
  public SeqRange {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not a sequence range: " + from + ".." + to);
    }
  }

  /** How many sequences the range holds (saturating at Long.MAX_VALUE). */
  public long size() {
    long n = to - from + 1;
    return n <= 0 ? Long.MAX_VALUE : n;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
