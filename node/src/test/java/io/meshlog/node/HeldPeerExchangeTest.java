package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldPeerExchangeTest {

  private final PeerId hub = Identity.generate().peerId();

  @Test
  void shouldHandOnOffersMadeBeforeTheRegistryWasReadyInOrderThenEachNewOne() {
    HeldPeerExchange px = new HeldPeerExchange();
    PeerId a = Identity.generate().peerId();
    PeerId b = Identity.generate().peerId();
    PeerId c = Identity.generate().peerId();
    px.offered(a, hub, new byte[] {1});
    px.offered(b, hub, new byte[] {2});
    List<PeerId> seen = new ArrayList<>();
    List<Byte> records = new ArrayList<>();
    px.deliverTo(
        (offered, from, record) -> {
          assertThat(from).isEqualTo(hub);
          seen.add(offered);
          records.add(record[0]);
        });
    assertThat(seen).containsExactly(a, b);
    px.offered(c, hub, new byte[] {3});
    assertThat(seen).containsExactly(a, b, c);
    assertThat(records).containsExactly((byte) 1, (byte) 2, (byte) 3);
  }

  @Test
  void shouldHoldNoMoreThanItsBound() {
    HeldPeerExchange px = new HeldPeerExchange();
    PeerId offered = Identity.generate().peerId();
    for (int i = 0; i < HeldPeerExchange.MAX_HELD + 50; i++) {
      px.offered(offered, hub, new byte[0]);
    }
    int[] delivered = {0};
    px.deliverTo((o, from, record) -> delivered[0]++);
    assertThat(delivered[0]).isEqualTo(HeldPeerExchange.MAX_HELD);
  }
}
