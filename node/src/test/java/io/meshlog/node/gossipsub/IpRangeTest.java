package io.meshlog.node.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.config.SettingsTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpRangeTest {

  @Test
  void shouldContainAddressesInsideTheBlockOnly() {
    IpRange office = IpRange.parse("203.0.113.0/24");
    assertThat(office.contains("203.0.113.7")).isTrue();
    assertThat(office.contains("203.0.114.7")).isFalse();
    assertThat(IpRange.parse("10.0.0.0/9").contains("10.127.255.255")).isTrue();
    assertThat(IpRange.parse("10.0.0.0/9").contains("10.128.0.0")).isFalse();
    assertThat(IpRange.parse("198.51.100.1").contains("198.51.100.2")).isFalse();
    assertThat(IpRange.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
  }

  @Test
  void shouldMatchIpv6AndNeverMixFamilies() {
    IpRange v6 = IpRange.parse("2001:db8::/32");
    assertThat(v6.contains("2001:db8:1::5")).isTrue();
    assertThat(v6.contains("2001:db9::5")).isFalse();
    assertThat(v6.contains("203.0.113.7")).isFalse();
    assertThat(IpRange.parse("::1/128").contains("::1")).isTrue();
    assertThat(IpRange.parse("::1/128").contains("127.0.0.1")).isFalse();
  }

  @Test
  void shouldRefuseHostNamesAndBadPrefixes() {
    assertThatThrownBy(() -> IpRange.parse("localhost/8")).hasMessageContaining("not an IP");
    assertThatThrownBy(() -> IpRange.parse("10.1/8")).hasMessageContaining("not an IP");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("0..32");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    assertThat(IpRange.parse("10.0.0.1").contains("example.org")).isFalse();
  }

  @Test
  void shouldStopStartUpOnABadAllowListNamingTheKeyAndValue() {
    SettingsTable<GossipsubSettings.Draft> table = GossipsubSettings.table();
    GossipsubSettings.Draft d = new GossipsubSettings.Draft();
    assertThatThrownBy(
            () ->
                table.apply(
                    d,
                    Map.of("gossipsub.score.ipColocationFactorWhitelist", "10.0.0.0/8,campus/16")))
        .hasMessageStartingWith(
            "invalid gossipsub.score.ipColocationFactorWhitelist = 10.0.0.0/8,campus/16: ");
  }

  @Test
  void shouldAllowLoopbackByDefaultAndReadTheList() {
    PeerScoreParams d = new GossipsubSettings.Draft().build().scoreParams();
    assertThat(d.ipColocationFactorWeight()).isZero();
    assertThat(d.colocationCounts("127.0.0.1")).isFalse();
    assertThat(d.colocationCounts("203.0.113.7")).isTrue();
    GossipsubSettings.Draft custom = new GossipsubSettings.Draft();
    GossipsubSettings.table()
        .apply(custom, Map.of("gossipsub.score.ipColocationFactorWhitelist", "203.0.113.0/24"));
    PeerScoreParams p = custom.build().scoreParams();
    assertThat(p.colocationCounts("203.0.113.7")).isFalse();
    assertThat(p.colocationCounts("127.0.0.1")).isTrue();
  }
}
