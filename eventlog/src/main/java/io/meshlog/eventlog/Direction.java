package io.meshlog.eventlog;

/** Which side started something: a connection, a graft, a prune. Codes are on-disk values. */
public enum Direction {
  NONE(0),
  INBOUND(1),
  OUTBOUND(2);

  private final int code;

  Direction(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The direction with this code; unknown codes read as {@link #NONE}. */
  public static Direction ofCode(int code) {
    switch (code) {
      case 1:
        return INBOUND;
      case 2:
        return OUTBOUND;
      default:
        return NONE;
    }
  }
}
