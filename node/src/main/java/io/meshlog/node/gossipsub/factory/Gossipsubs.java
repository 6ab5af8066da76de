package io.meshlog.node.gossipsub.factory;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.MessageHandler;
import io.meshlog.node.gossipsub.internal.GossipStreams;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.util.function.ToDoubleFunction;

/** Starts a {@link Gossipsub} router on a {@link Host}. */
public final class Gossipsubs {
  /** Default bound on bytes queued to one peer's stream before RPCs to it are dropped. */
  public static final long DEFAULT_MAX_PENDING_BYTES = 8L << 20;

  /**
   * Starts gossipsub on {@code host}: registers the gossip protocol handlers, starts the router
   * thread and opens gossip streams to every connection, present and future.
   *
   * @param handler receives every delivered message, on the router thread
   * @param sink receives the router's events, on the router thread
   * @throws IllegalArgumentException when the configuration is invalid (naming the key)
   */
  public static Gossipsub start(
      Host host,
      Identity identity,
      GossipsubConfig config,
      MessageHandler handler,
      EventSink sink) {
    return start(host, identity, config, handler, sink, DEFAULT_MAX_PENDING_BYTES);
  }

  /**
   * As {@link #start(Host, Identity, GossipsubConfig, MessageHandler, EventSink)}, with a bound on
   * the bytes queued to one peer before RPCs to it are dropped (journaled as DROP_RPC).
   */
  public static Gossipsub start(
      Host host,
      Identity identity,
      GossipsubConfig config,
      MessageHandler handler,
      EventSink sink,
      long maxPendingBytesPerPeer) {
    return start(host, identity, config, handler, sink, maxPendingBytesPerPeer, peer -> 0);
  }

  /**
   * As {@link #start(Host, Identity, GossipsubConfig, MessageHandler, EventSink, long)}, with the
   * application's score of each peer (P5 of the peer score, weighted by {@code
   * gossipsub.score.appSpecificWeight}): the node gives the peers it was told to keep a score that
   * lets their peer exchange be followed.
   *
   * @param appScore called on the router thread, at every score computation: keep it cheap
   */
  public static Gossipsub start(
      Host host,
      Identity identity,
      GossipsubConfig config,
      MessageHandler handler,
      EventSink sink,
      long maxPendingBytesPerPeer,
      ToDoubleFunction<PeerId> appScore) {
    return GossipStreams.start(
        host, identity, config, handler, sink, maxPendingBytesPerPeer, appScore);
  }

  private Gossipsubs() {}
}
