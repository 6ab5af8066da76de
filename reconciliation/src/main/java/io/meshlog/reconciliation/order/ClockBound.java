package io.meshlog.reconciliation.order;

/**
 * The Lamport clock bound ({@code reconciliation.maxLamportJump}): a message whose Lamport time is
 * more than {@code maxJump} above the reference is rejected, so one bad peer cannot push every
 * clock to the end of its range.
 *
 * <p>The reference is the highest Lamport time the sequencer confirmed for the topic, not the
 * receiver's own clock: a new or long-offline node, whose clock is near 0, still accepts a mesh at
 * Lamport 10^7. With no confirmed time for the topic yet there is no reference and every time is
 * accepted (the clock is then bounded from the first confirmation on).
 *
 * <p>Immutable and thread-safe.
 */
public final class ClockBound {

  /** The default of {@code reconciliation.maxLamportJump}. */
  public static final long DEFAULT_MAX_JUMP = 1_000_000L;

  /** "No confirmed Lamport time for this topic yet". */
  public static final long NO_REFERENCE = -1;

  private final long maxJump;

  /**
   * @throws IllegalArgumentException when {@code maxJump} is below 1
   */
  public ClockBound(long maxJump) {
    if (maxJump < 1) {
      throw new IllegalArgumentException("reconciliation.maxLamportJump must be >= 1: " + maxJump);
    }
    this.maxJump = maxJump;
  }

  public long maxJump() {
    return maxJump;
  }

  /**
   * True when {@code lamport} is acceptable against {@code reference}: absent Lamport times (plain
   * messages) and a missing reference always are.
   */
  public boolean accepts(long lamport, long reference) {
    if (lamport == OrderedMessage.ABSENT || reference < 0) {
      return true;
    }
    return lamport - reference <= maxJump;
  }
}
