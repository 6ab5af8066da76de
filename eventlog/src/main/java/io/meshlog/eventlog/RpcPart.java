package io.meshlog.eventlog;

/**
 * The parts of a gossip RPC that RECV_RPC, SEND_RPC and DROP_RPC count ({@link
 * Event#rpcCount(RpcPart)}) and whose message ids they list ({@link Event#rpcIdPart(int)}). Codes
 * are on-disk values: fixed, never reused; the counts are stored in code order.
 */
public enum RpcPart {
  /** Messages in the RPC's publish list. */
  PUBLISH(0),
  /** Message ids offered, over all IHAVE entries. */
  IHAVE(1),
  /** Message ids asked for, over all IWANT entries. */
  IWANT(2),
  /** GRAFT entries (one per topic). */
  GRAFT(3),
  /** PRUNE entries (one per topic). */
  PRUNE(4),
  /** Message ids declined, over all IDONTWANT entries. */
  IDONTWANT(5);

  /** Number of parts: the counts field holds this many numbers. */
  public static final int COUNT = 6;

  private static final RpcPart[] BY_CODE = values();

  private final int code;

  RpcPart(int code) {
    this.code = code;
  }

  /** The stable on-disk code, also the position of this part's count. */
  public int code() {
    return code;
  }

  /** The lower-case name used in JSON ({@code publish}, {@code ihave}, ...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The part with this code, or null when the code is unknown (a newer writer's part). */
  public static RpcPart ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
