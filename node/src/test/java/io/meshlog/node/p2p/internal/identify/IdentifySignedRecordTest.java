package io.meshlog.node.p2p.internal.identify;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.RecordingEventSink;
import io.meshlog.node.p2p.factory.Hosts;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IdentifySignedRecordTest {

  private static HostConfig localhost() {
    return HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build();
  }

  @Test
  void shouldSendASignedPeerRecordOfTheListenAddressesInIdentify() throws Exception {
    Identity remoteId = Identity.generate();
    RecordingEventSink events = new RecordingEventSink();
    try (Host remote = Hosts.start(localhost(), remoteId, EventSink.NOOP);
        Host local = Hosts.start(localhost(), Identity.generate(), events)) {
      local.dial(remote.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Await.until("identify received", () -> !events.ofType(EventType.IDENTIFY_RECEIVED).isEmpty());

      Event identified = events.ofType(EventType.IDENTIFY_RECEIVED).get(0);
      IdentifyMessage message = IdentifyCodec.decode(identified.data());
      PeerRecord record = PeerRecord.open(message.signedPeerRecord());

      assertThat(record.peerId()).isEqualTo(remoteId.peerId());
      assertThat(record.addresses())
          .containsExactlyElementsOf(
              remote.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList());
      assertThat(record.seq()).isPositive();
    }
  }

  @Test
  void shouldSignOncePerAddressSetWithARisingSeq() throws Exception {
    SignedRecordCache cache = new SignedRecordCache(Identity.generate());
    List<Multiaddr> one = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
    List<Multiaddr> two = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/2"));

    byte[] first = cache.envelopeFor(one);
    assertThat(cache.envelopeFor(one)).isSameAs(first);
    byte[] second = cache.envelopeFor(two);

    assertThat(PeerRecord.open(second).seq()).isGreaterThan(PeerRecord.open(first).seq());
    assertThat(PeerRecord.open(second).addresses()).isEqualTo(two);
  }
}
