package io.meshlog.eventlog;

/**
 * The journal's health as operators see it (JMX, logs): a state and, unless OK, why.
 *
 * @param state OK, LAGGING (consumers fall behind, producers may soon stall) or FAILED (nothing
 *     more can be journaled; publish throws)
 * @param reason a one-line explanation naming the file or handler concerned; empty when OK
 * @param failure for FAILED, the failure's reason; null otherwise
 */
public record JournalHealth(State state, String reason, JournalException.Reason failure) {

  /** The journal's state. */
  public enum State {
    OK,
    LAGGING,
    FAILED
  }

  public static final JournalHealth OK = new JournalHealth(State.OK, "", null);

  public static JournalHealth lagging(String reason) {
    return new JournalHealth(State.LAGGING, reason, null);
  }

  public static JournalHealth failed(JournalException.Reason failure, String reason) {
    return new JournalHealth(State.FAILED, reason, failure);
  }
}
