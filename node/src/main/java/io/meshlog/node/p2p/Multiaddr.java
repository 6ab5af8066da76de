package io.meshlog.node.p2p;

import io.meshlog.node.p2p.internal.Varint;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr: a self-describing network address such as {@code
 * /ip4/127.0.0.1/tcp/4001/p2p/12D3...} in text form, or the same as varint-coded binary. Supported
 * protocols: {@code ip4}, {@code ip6}, {@code dns}, {@code dns4}, {@code dns6}, {@code dnsaddr},
 * {@code tcp}, {@code udp}, {@code quic-v1}, {@code tls}, {@code ws}, {@code wss} and {@code p2p}
 * (also read as its legacy name {@code ipfs}). The text form this class produces is canonical
 * (compressed IPv6, base58 peer ids), so equal addresses print equally.
 *
 * <p>Immutable and thread-safe; {@link #equals} compares the binary form.
 */
public final class Multiaddr {

  /** Longest binary multiaddr accepted from a peer; checked before decoding. */
  public static final int MAX_BYTES = 1024;

  private final List<Component> components;
  private final byte[] bytes;

  private Multiaddr(List<Component> components) {
    this.components = Collections.unmodifiableList(components);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      c.writeTo(out);
    }
    this.bytes = out.toByteArray();
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException naming the whole address and the part that is wrong
   */
  public static Multiaddr parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "': must start with '/'");
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> components = new ArrayList<>();
    int i = 0;
    while (i < parts.length) {
      String name = parts[i++];
      if (name.isEmpty() && i == parts.length && !components.isEmpty()) {
        break; // one trailing slash is tolerated
      }
      Protocol protocol = Protocol.byName(name);
      if (protocol == null) {
        throw bad(text, "unknown protocol '" + name + "'");
      }
      if (protocol.size == 0) {
        components.add(new Component(protocol, new byte[0]));
        continue;
      }
      if (i >= parts.length || parts[i].isEmpty()) {
        throw bad(text, "missing value after /" + name);
      }
      String value = parts[i++];
      try {
        components.add(new Component(protocol, protocol.fromText(value)));
      } catch (IllegalArgumentException e) {
        throw bad(text, "bad " + name + " value '" + value + "': " + e.getMessage());
      }
    }
    if (components.isEmpty()) {
      throw bad(text, "no components");
    }
    return new Multiaddr(components);
  }

  /**
   * Decodes the binary form.
   *
   * @throws IllegalArgumentException naming the offending protocol code or byte offset
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length > MAX_BYTES || bytes.length == 0) {
      throw new IllegalArgumentException("invalid binary multiaddr of " + bytes.length + " bytes");
    }
    List<Component> components = new ArrayList<>();
    int[] cursor = {0};
    while (cursor[0] < bytes.length) {
      int at = cursor[0];
      int code = Varint.read(bytes, cursor);
      Protocol protocol = Protocol.byCode(code);
      if (protocol == null) {
        throw new IllegalArgumentException(
            "invalid binary multiaddr: unknown protocol code " + code + " at byte " + at);
      }
      int size = protocol.size < 0 ? Varint.read(bytes, cursor) : protocol.size;
      if (size > bytes.length - cursor[0]) {
        throw new IllegalArgumentException(
            "invalid binary multiaddr: /" + protocol.text + " value of " + size + " bytes is cut");
      }
      byte[] value = Arrays.copyOfRange(bytes, cursor[0], cursor[0] + size);
      cursor[0] += size;
      try {
        protocol.toText(value); // validates the value (e.g. a p2p multihash)
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid binary multiaddr: bad /" + protocol.text + " value: " + e.getMessage(), e);
      }
      components.add(new Component(protocol, value));
    }
    return new Multiaddr(components);
  }

  /** A {@code /ip4/.../tcp/...} or {@code /ip6/.../tcp/...} address; resolves nothing. */
  public static Multiaddr of(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      Protocol dns = Protocol.DNS;
      return new Multiaddr(
          List.of(
              new Component(dns, dns.fromText(address.getHostString())),
              new Component(Protocol.TCP, Protocol.TCP.fromText("" + address.getPort()))));
    }
    Protocol protocol = ip instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6;
    return new Multiaddr(
        List.of(
            new Component(protocol, ip.getAddress()),
            new Component(Protocol.TCP, Protocol.TCP.fromText("" + address.getPort()))));
  }

  /** The binary form (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The peer id of the last {@code /p2p} component, if any. */
  public Optional<PeerId> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol == Protocol.P2P) {
        return Optional.of(PeerId.fromBytes(components.get(i).value));
      }
    }
    return Optional.empty();
  }

  /** This address with its trailing {@code /p2p} replaced by (or extended with) {@code peer}. */
  public Multiaddr withPeerId(PeerId peer) {
    List<Component> list = new ArrayList<>(withoutPeerId().components);
    list.add(new Component(Protocol.P2P, peer.bytes()));
    return new Multiaddr(list);
  }

  /** This address without a trailing {@code /p2p} component. */
  public Multiaddr withoutPeerId() {
    int n = components.size();
    if (n > 1 && components.get(n - 1).protocol == Protocol.P2P) {
      return new Multiaddr(new ArrayList<>(components.subList(0, n - 1)));
    }
    return this;
  }

  /**
   * The host part: the value of the first {@code ip4}, {@code ip6} or {@code dns*} component.
   *
   * @throws IllegalStateException if there is none
   */
  public String host() {
    return hostComponent().text();
  }

  /**
   * The port of the first {@code tcp} component.
   *
   * @throws IllegalStateException if there is none
   */
  public int tcpPort() {
    for (Component c : components) {
      if (c.protocol == Protocol.TCP) {
        return ((c.value[0] & 0xFF) << 8) | (c.value[1] & 0xFF);
      }
    }
    throw new IllegalStateException("multiaddr " + this + " has no /tcp component");
  }

  /**
   * The socket address to dial: host and TCP port. {@code dns4}/{@code dns6} resolve to an IPv4 /
   * IPv6 address only; {@code dns} to the first address. Blocks on DNS for dns names: never call it
   * on an event loop with such an address.
   *
   * @throws IllegalStateException if there is no host or tcp component, or the name does not
   *     resolve to an address of the required family
   */
  public InetSocketAddress toSocketAddress() {
    Component host = hostComponent();
    int port = tcpPort();
    try {
      switch (host.protocol) {
        case IP4:
        case IP6:
          return new InetSocketAddress(InetAddress.getByAddress(host.value), port);
        default:
          for (InetAddress candidate : InetAddress.getAllByName(host.text())) {
            if (host.protocol == Protocol.DNS4 && !(candidate instanceof Inet4Address)) {
              continue;
            }
            if (host.protocol == Protocol.DNS6 && !(candidate instanceof Inet6Address)) {
              continue;
            }
            return new InetSocketAddress(candidate, port);
          }
          throw new IllegalStateException(
              "multiaddr " + this + ": " + host.text() + " has no address of that family");
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("multiaddr " + this + ": cannot resolve " + host.text(), e);
    }
  }

  private Component hostComponent() {
    for (Component c : components) {
      switch (c.protocol) {
        case IP4:
        case IP6:
        case DNS:
        case DNS4:
        case DNS6:
        case DNSADDR:
          return c;
        default:
          break;
      }
    }
    throw new IllegalStateException("multiaddr " + this + " has no host component");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr && Arrays.equals(bytes, ((Multiaddr) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The canonical text form. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append('/').append(c.protocol.text);
      if (c.protocol.size != 0) {
        sb.append('/').append(c.text());
      }
    }
    return sb.toString();
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("invalid multiaddr '" + text + "': " + why);
  }

  private static final class Component {
    final Protocol protocol;
    final byte[] value;

    Component(Protocol protocol, byte[] value) {
      this.protocol = protocol;
      this.value = value;
    }

    String text() {
      return protocol.toText(value);
    }

    void writeTo(ByteArrayOutputStream out) {
      byte[] head = new byte[10];
      int n = Varint.write(protocol.code, head, 0);
      if (protocol.size < 0) {
        n = Varint.write(value.length, head, n);
      }
      out.write(head, 0, n);
      out.write(value, 0, value.length);
    }
  }

  /** The supported protocols: code from the multicodec table, value size (-1: length-prefixed). */
  private enum Protocol {
    IP4(4, 4, "ip4"),
    TCP(6, 2, "tcp"),
    IP6(41, 16, "ip6"),
    DNS(53, -1, "dns"),
    DNS4(54, -1, "dns4"),
    DNS6(55, -1, "dns6"),
    DNSADDR(56, -1, "dnsaddr"),
    UDP(273, 2, "udp"),
    P2P(421, -1, "p2p"),
    TLS(448, 0, "tls"),
    QUIC_V1(0x01cc, 0, "quic-v1"),
    WS(477, 0, "ws"),
    WSS(478, 0, "wss");

    final int code;
    final int size;
    final String text;

    Protocol(int code, int size, String text) {
      this.code = code;
      this.size = size;
      this.text = text;
    }

    static Protocol byName(String name) {
      if (name.equals("ipfs")) {
        return P2P;
      }
      for (Protocol p : values()) {
        if (p.text.equals(name)) {
          return p;
        }
      }
      return null;
    }

    static Protocol byCode(int code) {
      for (Protocol p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      return null;
    }

    byte[] fromText(String value) {
      switch (this) {
        case IP4:
          return IpText.parseIp4(value);
        case IP6:
          return IpText.parseIp6(value);
        case TCP:
        case UDP:
          return port(value);
        case P2P:
          return PeerId.parse(value).bytes();
        default: // dns names
          if (value.length() > 255) {
            throw new IllegalArgumentException("name longer than 255 characters");
          }
          return value.getBytes(StandardCharsets.UTF_8);
      }
    }

    String toText(byte[] value) {
      switch (this) {
        case IP4:
          return IpText.formatIp4(value);
        case IP6:
          return IpText.formatIp6(value);
        case TCP:
        case UDP:
          return Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
        case P2P:
          return PeerId.fromBytes(value).toBase58();
        case TLS:
        case QUIC_V1:
        case WS:
        case WSS:
          return "";
        default:
          if (value.length == 0 || value.length > 255) {
            throw new IllegalArgumentException("name of " + value.length + " bytes");
          }
          String name = new String(value, StandardCharsets.UTF_8);
          if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("name contains '/'");
          }
          return name;
      }
    }

    private static byte[] port(String value) {
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a port number");
      }
      if (port < 0 || port > 65535 || !value.equals(Integer.toString(port))) {
        throw new IllegalArgumentException("port out of range 0..65535");
      }
      return new byte[] {(byte) (port >>> 8), (byte) port};
    }
  }
}
