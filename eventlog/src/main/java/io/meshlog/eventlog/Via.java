package io.meshlog.eventlog;

/**
 * How a delivered message reached this node (a DELIVER_MESSAGE's {@link Event#via()}). Codes are
 * on-disk values: fixed, never reused.
 *
 * <ul>
 *   <li>{@link #MESH}: pushed by a mesh peer of the topic;
 *   <li>{@link #IWANT}: sent by a peer in answer to this node's IWANT (after that peer's IHAVE);
 *   <li>{@link #FLOOD}: pushed by a peer that is not in this node's mesh for the topic (a flood
 *       publish, or a fanout peer of the sender);
 *   <li>{@link #SYNC}: fetched by the gap sync protocol from a peer's journal;
 *   <li>{@link #UNKNOWN}: not recorded (records written before schema version 2, or a route the
 *       router could not tell).
 * </ul>
 */
public enum Via {
  UNKNOWN(0),
  MESH(1),
  IWANT(2),
  FLOOD(3),
  SYNC(4);

  private static final Via[] BY_CODE = {UNKNOWN, MESH, IWANT, FLOOD, SYNC};

  private final int code;
  private final String label;

  Via(int code) {
    this.code = code;
    this.label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The stable on-disk code. */
  public int code() {
    return code;
  }

  /** The lower-case name used in JSON ({@code mesh}, {@code iwant}, ...). */
  public String label() {
    return label;
  }

  /** The route with this code; unknown codes (a newer writer's) read as {@link #UNKNOWN}. */
  public static Via ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }
}
