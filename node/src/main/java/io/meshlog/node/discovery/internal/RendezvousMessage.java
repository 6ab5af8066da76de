package io.meshlog.node.discovery.internal;

import java.util.List;

/**
 * One rendezvous {@code Message}: its type and the one part that type uses (the others null).
 * Absent optional integers are 0, absent strings and bytes null, as proto2 readers see them.
 */
public record RendezvousMessage(
    int type,
    Register register,
    RegisterResponse registerResponse,
    Unregister unregister,
    Discover discover,
    DiscoverResponse discoverResponse) {

  public static final int REGISTER = 0;
  public static final int REGISTER_RESPONSE = 1;
  public static final int UNREGISTER = 2;
  public static final int DISCOVER = 3;
  public static final int DISCOVER_RESPONSE = 4;

  /** Stands for "not a request" in a server's dispatch; never encoded. */
  public static final RendezvousMessage UNSUPPORTED =
      new RendezvousMessage(-1, null, null, null, null, null);

  /** {@code ttl} in seconds, 0 when absent. */
  public record Register(String ns, byte[] signedPeerRecord, long ttl) {}

  public record RegisterResponse(int status, String statusText, long ttl) {}

  public record Unregister(String ns) {}

  /** {@code limit} 0 when absent. */
  public record Discover(String ns, long limit, byte[] cookie) {}

  public record DiscoverResponse(
      List<Register> registrations, byte[] cookie, int status, String statusText) {
    public DiscoverResponse {
      registrations = List.copyOf(registrations);
    }
  }

  public static RendezvousMessage of(Register r) {
    return new RendezvousMessage(REGISTER, r, null, null, null, null);
  }

  public static RendezvousMessage of(RegisterResponse r) {
    return new RendezvousMessage(REGISTER_RESPONSE, null, r, null, null, null);
  }

  public static RendezvousMessage of(Unregister u) {
    return new RendezvousMessage(UNREGISTER, null, null, u, null, null);
  }

  public static RendezvousMessage of(Discover d) {
    return new RendezvousMessage(DISCOVER, null, null, null, d, null);
  }

  public static RendezvousMessage of(DiscoverResponse d) {
    return new RendezvousMessage(DISCOVER_RESPONSE, null, null, null, null, d);
  }
}
