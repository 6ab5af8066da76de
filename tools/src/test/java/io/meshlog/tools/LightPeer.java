package io.meshlog.tools;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.factory.Gossipsubs;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.InvalidRecordException;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A community member without a journal: a libp2p host and a gossipsub router at their defaults,
 * listening on 127.0.0.1, in one test JVM with many others. It trusts the node it joins (an
 * application score that lets that node's peer exchange be followed, as a meshlog node trusts its
 * configured peers), dials the peers that peer exchange offers, and keeps the text of every message
 * it receives.
 */
final class LightPeer implements AutoCloseable {
  /** The application score given to the joined node: above accept PX (10) at P5 weight 1. */
  private static final double TRUSTED_SCORE = 20;

  private final Identity identity = Identity.generate();
  private final Host host;
  private final Gossipsub gossip;
  private final Executor dialer;
  private final Map<String, Long> received = new ConcurrentHashMap<>();
  private final AtomicLong receivedTwice = new AtomicLong();
  private final AtomicLong peerExchangeDials = new AtomicLong();

  /**
   * @param hub the node this peer joins (trusted)
   * @param dialer runs peer-exchange dials off the router thread
   */
  LightPeer(PeerId hub, Executor dialer) {
    this.dialer = dialer;
    host =
        Hosts.start(
            HostConfig.builder()
                .ioThreads(1)
                .listenAddresses(List.of("/ip4/127.0.0.1/tcp/0"))
                .build(),
            identity,
            EventSink.NOOP);
    gossip =
        Gossipsubs.start(
            host,
            identity,
            GossipsubConfig.builder().build(),
            (from, m) -> {
              String text = new String(m.data(), StandardCharsets.UTF_8);
              if (received.putIfAbsent(text, System.nanoTime()) != null) {
                receivedTwice.incrementAndGet();
              }
            },
            EventSink.NOOP,
            Gossipsubs.DEFAULT_MAX_PENDING_BYTES,
            peer -> peer.equals(hub) ? TRUSTED_SCORE : 0);
    gossip.onPeerExchange((offered, from, record) -> dialer.execute(() -> follow(offered, record)));
  }

  private void follow(PeerId offered, byte[] envelope) {
    if (offered.equals(host.peerId()) || host.connection(offered).isPresent()) {
      return;
    }
    try {
      PeerRecord record = PeerRecord.open(envelope);
      if (!record.peerId().equals(offered) || record.dialAddresses().isEmpty()) {
        return;
      }
      peerExchangeDials.incrementAndGet();
      host.dial(record.dialAddresses().get(0));
    } catch (InvalidRecordException e) {
      // A record that does not verify is not followed; the node under test signs every record.
    }
  }

  PeerId peerId() {
    return host.peerId();
  }

  Host host() {
    return host;
  }

  Gossipsub gossip() {
    return gossip;
  }

  /**
   * The texts of the messages received so far, each with its {@link System#nanoTime} of arrival.
   */
  Map<String, Long> received() {
    return received;
  }

  /** Messages handed to this peer's application a second time (a router bug if ever above 0). */
  long receivedTwice() {
    return receivedTwice.get();
  }

  long peerExchangeDials() {
    return peerExchangeDials.get();
  }

  @Override
  public void close() {
    gossip.close();
    host.close();
  }
}
