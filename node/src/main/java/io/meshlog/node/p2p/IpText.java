package io.meshlog.node.p2p;

/**
 * IPv4/IPv6 literal parsing and printing without {@link java.net.InetAddress}, which would accept
 * host names (and so do DNS lookups) and octal forms. IPv6 prints in RFC 5952 form ({@code ::1}),
 * the form go-multiaddr and js-multiaddr print.
 *
 * <p>Stateless and thread-safe.
 */
final class IpText {

  private IpText() {}

  static byte[] parseIp4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a dotted-quad IPv4 address");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        throw new IllegalArgumentException("bad IPv4 octet '" + p + "'");
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          throw new IllegalArgumentException("bad IPv4 octet '" + p + "'");
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        throw new IllegalArgumentException("IPv4 octet " + v + " above 255");
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static String formatIp4(byte[] b) {
    return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
  }

  static byte[] parseIp6(String text) {
    int zone = text.indexOf('%');
    if (zone >= 0) {
      throw new IllegalArgumentException("zone ids belong in /ip6zone, not in /ip6");
    }
    String[] halves = text.split("::", -1);
    if (halves.length > 2) {
      throw new IllegalArgumentException("more than one '::'");
    }
    int[] head = groups(halves[0]);
    int[] tail = halves.length == 2 ? groups(halves[1]) : new int[0];
    int total = head.length + tail.length;
    if (halves.length == 1 ? total != 8 : total > 7) {
      throw new IllegalArgumentException("wrong number of groups");
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.length; i++) {
      out[2 * i] = (byte) (head[i] >>> 8);
      out[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tail.length; i++) {
      int g = 8 - tail.length + i;
      out[2 * g] = (byte) (tail[i] >>> 8);
      out[2 * g + 1] = (byte) tail[i];
    }
    return out;
  }

  /** Hex groups of one side of "::"; an embedded trailing IPv4 counts as two groups. */
  private static int[] groups(String side) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    String last = parts[parts.length - 1];
    boolean v4 = last.indexOf('.') >= 0;
    int[] out = new int[parts.length + (v4 ? 1 : 0)];
    for (int i = 0; i < parts.length - (v4 ? 1 : 0); i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        throw new IllegalArgumentException("bad IPv6 group '" + p + "'");
      }
      try {
        out[i] = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad IPv6 group '" + p + "'");
      }
    }
    if (v4) {
      byte[] b = parseIp4(last);
      out[out.length - 2] = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
      out[out.length - 1] = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
    return out;
  }

  static String formatIp6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    // RFC 5952: compress the longest run (first if tied) of two or more zero groups.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
