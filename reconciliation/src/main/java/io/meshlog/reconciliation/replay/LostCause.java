package io.meshlog.reconciliation.replay;

/** Why a node did not deliver a message it should have; labels are part of the output format. */
public enum LostCause {
  /** The node was not running when the message went round (a gap in its journal, a crash). */
  DOWN("down"),
  /** The node was running but had no mesh peers in the message's topic at the time. */
  NOT_IN_MESH("not-in-mesh"),
  /** The journals do not say. */
  UNKNOWN("unknown");

  private final String label;

  LostCause(String label) {
    this.label = label;
  }

  /** The stable name used in every output format. */
  public String label() {
    return label;
  }
}
