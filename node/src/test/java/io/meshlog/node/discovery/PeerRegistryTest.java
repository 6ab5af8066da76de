package io.meshlog.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.EventType;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRegistryTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long DAY = 86_400 * SECOND;

  private final PeerId self = Identity.generate().peerId();
  private final PeerId a = Identity.generate().peerId();
  private final PeerId b = Identity.generate().peerId();
  private final PeerId c = Identity.generate().peerId();
  private final PeerRegistry registry = new PeerRegistry(self, 2, 7 * DAY);

  private void learn(PeerId p, long at, PeerRegistry.Source source, String... addresses) {
    registry.apply(
        EventType.PEER_ADDRESS_LEARNED,
        at,
        p,
        PeerRegistry.learnedText(
            source, List.of(addresses).stream().map(Multiaddr::parse).toList()));
  }

  @Test
  void shouldCountSuccessesFailuresAndTheStreakFromJournaledEvents() {
    learn(a, 1 * SECOND, PeerRegistry.Source.IDENTIFY, "/ip4/127.0.0.1/tcp/4001");
    registry.apply(EventType.CONNECTION_OPENED, 2 * SECOND, a, "/ip4/127.0.0.1/tcp/4001");
    registry.apply(EventType.DIAL_FAILED, 3 * SECOND, a, "refused");
    registry.apply(EventType.DIAL_FAILED, 4 * SECOND, a, "refused");
    registry.apply(EventType.CONNECTION_CLOSED, 5 * SECOND, a, "closed by remote");

    PeerRegistry.Entry e = registry.entries(6 * SECOND).get(0);
    assertThat(e.successes()).isEqualTo(1);
    assertThat(e.failures()).isEqualTo(2);
    assertThat(e.failureStreak()).isEqualTo(2);
    assertThat(e.firstSeenNanos()).isEqualTo(1 * SECOND);
    assertThat(e.lastSeenNanos()).isEqualTo(5 * SECOND);
    assertThat(e.lastConnectedNanos()).isEqualTo(2 * SECOND);
    assertThat(e.addresses())
        .containsEntry(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), PeerRegistry.Source.IDENTIFY);

    registry.apply(EventType.CONNECTION_OPENED, 7 * SECOND, a, "x");
    assertThat(registry.entries(8 * SECOND).get(0).failureStreak()).isZero();
  }

  @Test
  void shouldOrderTheMostReliableFirstAndEvictTheLeastBeyondTheBound() {
    learn(a, SECOND, PeerRegistry.Source.DIRECTORY, "/ip4/10.0.0.1/tcp/1");
    registry.apply(EventType.CONNECTION_OPENED, 2 * SECOND, a, "x");
    learn(b, SECOND, PeerRegistry.Source.PX, "/ip4/10.0.0.2/tcp/1");
    registry.apply(EventType.DIAL_FAILED, 2 * SECOND, b, "refused");
    registry.apply(EventType.DIAL_FAILED, 3 * SECOND, b, "refused");

    assertThat(registry.entries(4 * SECOND))
        .extracting(PeerRegistry.Entry::peer)
        .containsExactly(a, b);

    learn(c, 5 * SECOND, PeerRegistry.Source.IDENTIFY, "/ip4/10.0.0.3/tcp/1");

    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.entries(6 * SECOND))
        .extracting(PeerRegistry.Entry::peer)
        .containsExactly(a, c);
  }

  @Test
  void shouldNeverEvictARememberedDirectoryAndHandItBackWithItsPeerId() {
    learn(a, SECOND, PeerRegistry.Source.DIRECTORY_CONFIG, "/ip4/10.0.0.9/tcp/4001");
    for (int i = 0; i < 5; i++) {
      learn(
          Identity.generate().peerId(),
          2 * SECOND,
          PeerRegistry.Source.PX,
          "/ip4/10.0.1." + i + "/tcp/1");
    }

    assertThat(registry.directories())
        .containsExactly(Multiaddr.parse("/ip4/10.0.0.9/tcp/4001").withPeerId(a));
  }

  @Test
  void shouldForgetPeersNotSeenForMaxAgeAndNeverKeepItself() {
    learn(a, SECOND, PeerRegistry.Source.IDENTIFY, "/ip4/10.0.0.1/tcp/1");
    learn(b, 5 * DAY, PeerRegistry.Source.IDENTIFY, "/ip4/10.0.0.2/tcp/1");
    learn(self, 5 * DAY, PeerRegistry.Source.IDENTIFY, "/ip4/10.0.0.3/tcp/1");

    registry.prune(8 * DAY);

    assertThat(registry.entries(8 * DAY)).extracting(PeerRegistry.Entry::peer).containsExactly(b);
  }

  @Test
  void shouldSkipAddressesOfTransportsItCannotDialAndKeepTheConfiguredSource() {
    learn(a, SECOND, PeerRegistry.Source.IDENTIFY, "/ip4/10.0.0.1/tcp/1");
    registry.apply(
        EventType.PEER_ADDRESS_LEARNED, 2 * SECOND, a, "config /ip4/10.0.0.1/tcp/1 /not/an/addr");

    assertThat(registry.entries(3 * SECOND).get(0).addresses())
        .containsExactly(
            java.util.Map.entry(
                Multiaddr.parse("/ip4/10.0.0.1/tcp/1"), PeerRegistry.Source.CONFIG));
  }
}
