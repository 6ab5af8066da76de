package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MultiaddrTest {

  private static final String PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  private final HexFormat hex = HexFormat.of();

  @Test
  void shouldEncodeIp4TcpToKnownBytesAndBack() {
    Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    assertThat(hex.formatHex(addr.bytes())).isEqualTo("047f000001060fa1");
    assertThat(Multiaddr.fromBytes(addr.bytes())).isEqualTo(addr);
    assertThat(addr.toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
    assertThat(addr.host()).isEqualTo("127.0.0.1");
    assertThat(addr.tcpPort()).isEqualTo(4001);
  }

  @Test
  void shouldRoundTripIp6InCanonicalCompressedForm() {
    Multiaddr loopback = Multiaddr.parse("/ip6/0:0:0:0:0:0:0:1/tcp/80");
    assertThat(loopback.toString()).isEqualTo("/ip6/::1/tcp/80");
    assertThat(hex.formatHex(loopback.bytes())).isEqualTo("29" + "0".repeat(30) + "01" + "060050");

    for (String text :
        new String[] {
          "/ip6/2001:db8::1:0:0:1/tcp/1",
          "/ip6/fe80::/tcp/2",
          "/ip6/::/udp/3/quic-v1",
          "/ip6/2001:db8:0:1:1:1:1:1/tcp/4",
          "/ip6/::ffff:c000:280/tcp/5"
        }) {
      Multiaddr addr = Multiaddr.parse(text);
      assertThat(addr.toString()).isEqualTo(text);
      assertThat(Multiaddr.fromBytes(addr.bytes())).isEqualTo(addr);
    }
    assertThat(Multiaddr.parse("/ip6/::ffff:192.0.2.128/tcp/5").toString())
        .isEqualTo("/ip6/::ffff:c000:280/tcp/5");
  }

  @Test
  void shouldRoundTripDnsAndPeerIdComponents() {
    Multiaddr addr = Multiaddr.parse("/dns4/localhost/tcp/4001/p2p/" + PEER);

    assertThat(hex.formatHex(addr.bytes()))
        .startsWith("3609" + hex.formatHex("localhost".getBytes()));
    assertThat(hex.formatHex(addr.bytes())).contains("a503");
    assertThat(Multiaddr.fromBytes(addr.bytes()).toString()).isEqualTo(addr.toString());
    assertThat(addr.peerId()).contains(PeerId.parse(PEER));
    assertThat(addr.withoutPeerId().toString()).isEqualTo("/dns4/localhost/tcp/4001");
    assertThat(addr.withoutPeerId().peerId()).isEmpty();
    assertThat(addr.withoutPeerId().withPeerId(PeerId.parse(PEER))).isEqualTo(addr);
    assertThat(Multiaddr.parse("/ip4/1.2.3.4/tcp/1/ipfs/" + PEER).toString())
        .isEqualTo("/ip4/1.2.3.4/tcp/1/p2p/" + PEER);
    assertThat(Multiaddr.parse("/dns6/example.org/tcp/443/wss").toString())
        .isEqualTo("/dns6/example.org/tcp/443/wss");
  }

  @Test
  void shouldConvertToAndFromSocketAddresses() throws Exception {
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9000);
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9001);

    assertThat(Multiaddr.of(v4).toString()).isEqualTo("/ip4/127.0.0.1/tcp/9000");
    assertThat(Multiaddr.of(v6).toString()).isEqualTo("/ip6/::1/tcp/9001");
    assertThat(Multiaddr.of(v4).toSocketAddress()).isEqualTo(v4);
    assertThat(Multiaddr.parse("/dns4/localhost/tcp/7").toSocketAddress().getAddress())
        .isInstanceOf(java.net.Inet4Address.class);
  }

  @Test
  void shouldRejectBadTextNamingTheBadPart() {
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/999.1.1.1/tcp/1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/ip4/999.1.1.1/tcp/1'")
        .hasMessageContaining("bad ip4 value '999.1.1.1'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/70000"))
        .hasMessageContaining("bad tcp value '70000'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/sctp/1"))
        .hasMessageContaining("unknown protocol 'sctp'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp"))
        .hasMessageContaining("missing value after /tcp");
    assertThatThrownBy(() -> Multiaddr.parse("/ip6/1::2::3/tcp/1"))
        .hasMessageContaining("bad ip6 value '1::2::3'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/QmNotAPeer"))
        .hasMessageContaining("bad p2p value 'QmNotAPeer'");
    assertThatThrownBy(() -> Multiaddr.parse("ip4/1.2.3.4"))
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4").tcpPort())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no /tcp");
  }

  @Test
  void shouldRejectBadBytesNamingTheProblem() {
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("047f0000")))
        .hasMessageContaining("/ip4 value of 4 bytes is cut");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("047f000001ff01")))
        .hasMessageContaining("unknown protocol code 255 at byte 5");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("a50302ffff")))
        .hasMessageContaining("bad /p2p value");
    assertThatThrownBy(() -> Multiaddr.fromBytes(hex.parseHex("36ff")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
