package io.meshlog.node.gossipsub;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block written as a CIDR ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a single
 * address, which is a /32 or /128). Used by the P6 colocation allow-list: peers whose address lies
 * in an allowed block are not scored for sharing it. Immutable.
 */
public final class IpRange {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private IpRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code cidr}; only address literals are accepted (no host names, so parsing never
   * resolves anything).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static IpRange parse(String cidr) {
    String s = cidr.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = literal(addr);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address or CIDR: " + cidr);
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("prefix length is not a number: " + cidr, e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length must be 0.." + bits + ": " + cidr);
      }
    }
    return new IpRange(mask(bytes, prefix), prefix, s);
  }

  /** Whether {@code ip} (an address literal) lies in this block; false for anything else. */
  public boolean contains(String ip) {
    byte[] b = ip == null ? null : literal(ip);
    return b != null && b.length == network.length && Arrays.equals(mask(b, prefix), network);
  }

  /** The address bytes of a literal, or null when {@code s} is not one. */
  private static byte[] literal(String s) {
    if (s.isEmpty()
        || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null; // a host name would be resolved by InetAddress: refuse it here
    }
    if (s.indexOf(':') < 0 && s.chars().filter(c -> c == '.').count() != 3) {
      return null; // InetAddress would read "10.1" as 10.0.0.1
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && r.prefix == prefix && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}
