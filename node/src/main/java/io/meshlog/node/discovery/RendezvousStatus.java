package io.meshlog.node.discovery;

/**
 * The rendezvous protocol's {@code ResponseStatus} codes, as the spec numbers them. A directory
 * answers every refused REGISTER or DISCOVER with one of these and journals it.
 */
public enum RendezvousStatus {
  OK(0),
  E_INVALID_NAMESPACE(100),
  E_INVALID_SIGNED_PEER_RECORD(101),
  E_INVALID_TTL(102),
  E_INVALID_COOKIE(103),
  E_NOT_AUTHORIZED(200),
  E_INTERNAL_ERROR(300),
  E_UNAVAILABLE(400);

  private final int code;

  RendezvousStatus(int code) {
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The status with this wire code; an unknown code reads as {@link #E_INTERNAL_ERROR}. */
  public static RendezvousStatus ofCode(int code) {
    for (RendezvousStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return E_INTERNAL_ERROR;
  }
}
