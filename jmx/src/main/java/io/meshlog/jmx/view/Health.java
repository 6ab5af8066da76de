package io.meshlog.jmx.view;

import java.util.Objects;

/**
 * A health as consoles show it: a state and, unless OK, why.
 *
 * @param state OK, LAGGING (behind, still working) or FAILED (stopped working)
 * @param reason one line naming what is wrong; empty when OK
 */
public record Health(State state, String reason) {

  /** Health states, worst last. */
  public enum State {
    OK("healthy"),
    LAGGING("degraded"),
    FAILED("failed");

    private final String status;

    State(String status) {
      this.status = status;
    }

    /**
     * The word {@code meshlog health} and {@code GET /health} use: healthy, degraded (behind, still
     * working) or failed.
     */
    public String status() {
      return status;
    }
  }

  public static final Health OK = new Health(State.OK, "");

  public Health {
    Objects.requireNonNull(state, "state");
    reason = reason == null ? "" : reason;
  }

  public static Health lagging(String reason) {
    return new Health(State.LAGGING, reason);
  }

  public static Health failed(String reason) {
    return new Health(State.FAILED, reason);
  }

  /** The worse of the two; this one when equal. */
  public Health worst(Health other) {
    return other.state.compareTo(state) > 0 ? other : this;
  }
}
