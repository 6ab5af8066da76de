package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.PeerId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A gossipsub v1.1 router running on a {@link Host}: what an application uses to publish, subscribe
 * and watch the mesh.
 *
 * <p>The router runs on its own thread; every call hands work to it and returns without blocking
 * (except {@link #close()}). Answers that need the router's state come back as futures completed on
 * the router thread, or completed exceptionally with {@link IllegalStateException} once the router
 * is closed. All methods are thread-safe. {@code gossipsub.factory.Gossipsubs.start} starts one.
 */
public interface Gossipsub extends AutoCloseable {
  /**
   * Publishes {@code data} on {@code topic}.
   *
   * @return the message id, completed on the router thread; completed exceptionally with {@link
   *     IllegalArgumentException} when the data is larger than {@code gossipsub.maxMessageSize}
   */
  CompletableFuture<byte[]> publish(String topic, byte[] data);

  /** Joins {@code topic}: the router builds a mesh for it and delivers its messages. */
  void subscribe(String topic);

  /** Leaves {@code topic}, pruning its mesh. */
  void unsubscribe(String topic);

  /** Sets (or with null removes) the validator of {@code topic}. */
  void validator(String topic, TopicValidator validator);

  /**
   * Where the peers that peer exchange offers go (the node dials them); by default nowhere. Set it
   * before peers connect.
   */
  default void onPeerExchange(PeerExchangeListener listener) {}

  /**
   * Changes D, D_lo, D_hi, D_lazy, D_score, D_out, the gossip factor, score parameters and
   * thresholds at run time. Validated now; applied on the router thread.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  void reconfigure(GossipsubConfig next);

  /** The mesh of {@code topic}, read on the router thread. */
  CompletableFuture<Set<PeerId>> meshPeers(String topic);

  /** Peers known to be subscribed to {@code topic}, read on the router thread. */
  CompletableFuture<Set<PeerId>> topicPeers(String topic);

  /** A peer's current score, read on the router thread. */
  CompletableFuture<Double> score(PeerId peer);

  /** The peers graylisted now (their RPCs are ignored), with since when and why; router thread. */
  CompletableFuture<Map<PeerId, GraylistState>> graylisted();

  /**
   * Delivers messages fetched by sync from {@code source}'s journal, on the router thread, as if
   * each had just arrived: it is checked (StrictSign signature, and its message id must equal
   * {@code claimedIds.get(i)} when that is not null), marked seen, journaled as DELIVER_MESSAGE
   * with {@code via = sync} and {@code peer = source} (and MESSAGE_SIGNATURE), and handed to the
   * message handler. It is not forwarded: a synced message is old news to the mesh. A forged one is
   * journaled as REJECT_MESSAGE and costs {@code source} an invalid message delivery (P4) in its
   * topic, as a forged gossip message would.
   *
   * @return one verdict per message, in order
   */
  CompletableFuture<java.util.List<SyncVerdict>> deliverSynced(
      PeerId source, java.util.List<SignedMessage> messages, java.util.List<byte[]> claimedIds);

  /**
   * Counts a sync answer from {@code source} that is not what was asked (a message of another
   * origin, topic or range) as an invalid message delivery (P4) in {@code topic}, and journals it
   * as REJECT_MESSAGE with {@code reason}.
   */
  void rejectSynced(PeerId source, String topic, byte[] messageId, String reason);

  /** A counter's current value; any thread. */
  long counter(GossipCounter c);

  /** The configuration in force: the start one with the run-time changes applied. */
  GossipsubConfig config();

  /**
   * Stops the router thread (queued inputs are discarded, waiting up to 5 s for the thread) and
   * resets the gossip streams; the host keeps running.
   */
  @Override
  void close();
}
