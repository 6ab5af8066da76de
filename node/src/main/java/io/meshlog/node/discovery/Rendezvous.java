package io.meshlog.node.discovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Constants of {@code /rendezvous/1.0.0} shared by the directory and the client, and the cookie
 * format meshlog's directory hands out.
 *
 * <p>Cookie (opaque to clients): version byte {@code 1}, the 8-byte big-endian registration number
 * the answer went up to, then the namespace asked for in UTF-8 (empty for all). A cookie is only
 * valid for the namespace it was issued for; anything else is {@code E_INVALID_COOKIE}.
 */
public final class Rendezvous {

  /** The protocol id. */
  public static final String PROTOCOL = "/rendezvous/1.0.0";

  /** The TTL a REGISTER without one gets, per the spec: 2 hours. */
  public static final long DEFAULT_TTL_SECONDS = 2 * 3600;

  /** Largest request a directory reads; a REGISTER is a namespace plus one signed record. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** Largest answer a client reads. */
  public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private static final byte COOKIE_VERSION = 1;

  private Rendezvous() {}

  static byte[] cookie(long number, String ns) {
    byte[] name = (ns == null ? "" : ns).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(9 + name.length)
        .put(COOKIE_VERSION)
        .putLong(number)
        .put(name)
        .array();
  }

  /** The registration number in {@code cookie}, or -1 when it is not one of ours for {@code ns}. */
  static long cookieNumber(byte[] cookie, String ns) {
    byte[] name = (ns == null ? "" : ns).getBytes(StandardCharsets.UTF_8);
    if (cookie.length != 9 + name.length || cookie[0] != COOKIE_VERSION) {
      return -1;
    }
    if (!Arrays.equals(cookie, 9, cookie.length, name, 0, name.length)) {
      return -1;
    }
    long n = ByteBuffer.wrap(cookie, 1, 8).getLong();
    return n < 0 ? -1 : n;
  }
}
