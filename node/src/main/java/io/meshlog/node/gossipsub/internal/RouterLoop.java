package io.meshlog.node.gossipsub.internal;

import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipTransport;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.GraylistState;
import io.meshlog.node.gossipsub.MessageHandler;
import io.meshlog.node.gossipsub.MessageSigner;
import io.meshlog.node.gossipsub.SignedMessage;
import io.meshlog.node.gossipsub.SyncVerdict;
import io.meshlog.node.gossipsub.TopicValidator;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.p2p.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router thread: runs a {@link GossipRouter} and feeds it peers, RPCs, application calls and
 * heartbeats. It is the {@link Gossipsub} of a router whose network is a {@link GossipTransport};
 * {@link GossipStreams} binds one to a host.
 *
 * <pre>
 *  network threads -- onRpc: decode, check signatures --+
 *  network -- addPeer, removePeer ----------------------+--> one ordered queue
 *  application -- publish, subscribe, queries ----------+            |
 *                                                                    v
 *                                heartbeat every interval ---> router thread --> GossipTransport,
 *                                                                                MessageHandler,
 *                                                                                EventSink
 * </pre>
 *
 * <p>Everything reaches the router through one queue, in the order it was handed over: a peer's
 * arrival, its RPCs and its removal are handled in that order, so a peer's last RPCs are handled
 * before it is removed, however busy the router is. Only RPCs count toward the queue's capacity
 * ({@code gossipsub.inboundQueueCapacity}): when that many wait, {@link #onRpc} refuses the RPC and
 * counts it, so a flood from the network cannot grow memory. Peer arrivals and removals and
 * application calls are never refused — there is one per connection change or local call — so none
 * is lost. The router thread reads the clock and passes the time into the router, whose logic is
 * deterministic.
 *
 * <p>All methods are thread-safe and never block, except {@link #close()}.
 */
public final class RouterLoop implements Gossipsub {
  private static final Logger LOG = LoggerFactory.getLogger(RouterLoop.class);
  private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How many inputs one pass of the loop takes before it looks at the heartbeat and flushes. */
  private static final int BATCH = 256;

  /** What waits for the router thread: a peer's RPC or a call (peer change, application). */
  private sealed interface Input permits PeerRpc, Call {}

  /** Either bytes (the router decodes and checks) or what a network thread prechecked. */
  private record PeerRpc(PeerId peer, byte[] bytes, PrecheckedRpc prechecked) implements Input {}

  private record Call(Consumer<GossipRouter> action) implements Input {}

  private final GossipsubConfig config;
  private volatile GossipsubConfig current;
  private final GossipRouter router;
  private final RpcPrechecker prechecker; // null: the router thread decodes and verifies
  private final CounterSet<GossipCounter> counters = CounterSet.of(GossipCounter.class);
  private final ConcurrentLinkedQueue<Input> inputs = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedRpcs = new AtomicInteger();
  private final int rpcCapacity;
  private final LongSupplier clock;
  private final long routerToWallNanos;
  private final Thread thread;
  private volatile boolean running = true;
  private long lastErrorLog = Long.MIN_VALUE;

  /**
   * Creates the router with the wall clock; call {@link #start()} to run it.
   *
   * @throws IllegalArgumentException when the configuration is invalid (naming the key)
   */
  public RouterLoop(
      GossipsubConfig config,
      MessageSigner signer,
      GossipTransport transport,
      MessageHandler handler,
      EventSink sink) {
    this(config, signer, transport, handler, sink, peer -> 0);
  }

  /**
   * Creates the router with the wall clock and the application's score of peers; call {@link
   * #start()} to run it.
   *
   * @param appScore P5, the application's opinion of a peer; called on the router thread
   * @throws IllegalArgumentException when the configuration is invalid (naming the key)
   */
  public RouterLoop(
      GossipsubConfig config,
      MessageSigner signer,
      GossipTransport transport,
      MessageHandler handler,
      EventSink sink,
      ToDoubleFunction<PeerId> appScore) {
    this(config, signer, transport, handler, sink, appScore, RouterLoop::wallClockNanos);
  }

  /**
   * Creates the router.
   *
   * @param appScore P5, the application's opinion of a peer; called on the router thread
   * @param clockNanos wall-clock nanoseconds since the epoch; read by the router thread only
   */
  public RouterLoop(
      GossipsubConfig config,
      MessageSigner signer,
      GossipTransport transport,
      MessageHandler handler,
      EventSink sink,
      ToDoubleFunction<PeerId> appScore,
      LongSupplier clockNanos) {
    this.config = config.validate();
    this.current = config;
    this.clock = clockNanos;
    this.routerToWallNanos = wallClockNanos() - clockNanos.getAsLong();
    this.rpcCapacity = config.inboundQueueCapacity();
    this.prechecker = config.verifyOnNetworkThreads() ? new RpcPrechecker(config) : null;
    this.router =
        new GossipRouter(
            config, signer, transport, handler, sink, counters, appScore, clockNanos.getAsLong());
    // What one pass of the loop produces leaves in one write per peer (see run()).
    router.batching(true);
    this.thread = new Thread(this::run, "gossipsub-router");
    thread.setDaemon(true);
  }

  private static long wallClockNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Starts the router thread. */
  public void start() {
    thread.start();
  }

  /** A peer opened a gossip stream with {@code protocol}; {@code ip} (or null) feeds P6. */
  public void addPeer(PeerId peer, String protocol, boolean outbound, String ip) {
    addPeer(peer, protocol, outbound, ip, List.of());
  }

  /**
   * Adds a peer together with the RPCs it sent before it could be added (typically its
   * subscriptions, read from its stream before ours to it was open). They are handled right after
   * the peer is added, in the order given, on the router thread.
   */
  public void addPeer(
      PeerId peer, String protocol, boolean outbound, String ip, List<byte[]> earlyRpcs) {
    submit(
        r -> {
          long now = clock.getAsLong();
          r.addPeer(peer, protocol, outbound, ip, now);
          for (byte[] rpc : earlyRpcs) {
            r.onRpc(peer, rpc, now);
          }
        });
  }

  /** Counts RPCs a peer sent before it could be added, beyond what was held for it. */
  void earlyRpcDropped() {
    counters.increment(GossipCounter.EARLY_RPCS_DROPPED);
  }

  /**
   * A peer's gossip stream closed. The router removes the peer after the RPCs handed over before
   * this call.
   */
  public void removePeer(PeerId peer) {
    submit(r -> r.removePeer(peer, clock.getAsLong()));
  }

  /**
   * Hands over one RPC read from a peer (without its length prefix). Never blocks. With {@code
   * gossipsub.verifyOnNetworkThreads} the calling thread decodes it and checks its signatures first
   * (see {@link RpcPrechecker}), which is where the CPU of a busy subscriber goes.
   *
   * @return false when {@code gossipsub.inboundQueueCapacity} RPCs already wait and this one was
   *     dropped (counted)
   */
  public boolean onRpc(PeerId peer, byte[] rpc) {
    PrecheckedRpc pre = prechecker == null ? null : prechecker.precheck(rpc);
    if (queuedRpcs.incrementAndGet() > rpcCapacity) {
      queuedRpcs.decrementAndGet();
      counters.increment(GossipCounter.INBOUND_QUEUE_FULL);
      return false;
    }
    inputs.add(pre == null ? new PeerRpc(peer, rpc, null) : new PeerRpc(peer, null, pre));
    LockSupport.unpark(thread);
    return true;
  }

  /**
   * Publishes {@code data} on {@code topic}.
   *
   * @return the message id, completed on the router thread; completed exceptionally with {@link
   *     IllegalArgumentException} when the data is larger than {@code gossipsub.maxMessageSize}
   */
  @Override
  public CompletableFuture<byte[]> publish(String topic, byte[] data) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(r -> f.complete(r.publish(topic, data.clone(), clock.getAsLong())), f);
    return f;
  }

  @Override
  public CompletableFuture<List<SyncVerdict>> deliverSynced(
      PeerId source, List<SignedMessage> messages, List<byte[]> claimedIds) {
    List<Rpc.PubMessage> rpc = new ArrayList<>(messages.size());
    for (SignedMessage m : messages) {
      rpc.add(new Rpc.PubMessage(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), m.key()));
    }
    List<byte[]> ids = List.copyOf(claimedIds);
    CompletableFuture<List<SyncVerdict>> f = new CompletableFuture<>();
    submit(r -> f.complete(r.deliverSynced(source, rpc, ids, clock.getAsLong())), f);
    return f;
  }

  @Override
  public void rejectSynced(PeerId source, String topic, byte[] messageId, String reason) {
    submit(r -> r.rejectSynced(source, topic, messageId, reason, clock.getAsLong()));
  }

  @Override
  public void subscribe(String topic) {
    submit(r -> r.subscribe(topic, clock.getAsLong()));
  }

  @Override
  public void unsubscribe(String topic) {
    submit(r -> r.unsubscribe(topic, clock.getAsLong()));
  }

  /** Sets (or with null removes) the validator of {@code topic}. */
  @Override
  public void validator(String topic, TopicValidator validator) {
    submit(r -> r.validator(topic, validator));
  }

  /**
   * Changes D, D_lo, D_hi, D_lazy, D_score, D_out, the gossip factor, score parameters and
   * thresholds at run time. Validated now; applied on the router thread.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  @Override
  public void reconfigure(GossipsubConfig next) {
    next.validate();
    current = current.withRunTimeSettingsOf(next);
    submit(r -> r.reconfigure(next));
  }

  /** The mesh of {@code topic}, read on the router thread. */
  @Override
  public CompletableFuture<Set<PeerId>> meshPeers(String topic) {
    CompletableFuture<Set<PeerId>> f = new CompletableFuture<>();
    submit(r -> f.complete(Set.copyOf(r.meshPeers(topic))), f);
    return f;
  }

  /** Peers known to be subscribed to {@code topic}, read on the router thread. */
  @Override
  public CompletableFuture<Set<PeerId>> topicPeers(String topic) {
    CompletableFuture<Set<PeerId>> f = new CompletableFuture<>();
    submit(r -> f.complete(Set.copyOf(r.topicPeers(topic))), f);
    return f;
  }

  /** A peer's current score, read on the router thread. */
  @Override
  public CompletableFuture<Double> score(PeerId peer) {
    CompletableFuture<Double> f = new CompletableFuture<>();
    submit(r -> f.complete(r.score(peer)), f);
    return f;
  }

  /**
   * The router's graylisted peers; their {@code since} is taken from router time to wall time by
   * the distance between the two clocks measured at construction, so a router fed another clock
   * still reports wall time, and the same instant on every read.
   */
  @Override
  public CompletableFuture<Map<PeerId, GraylistState>> graylisted() {
    CompletableFuture<Map<PeerId, GraylistState>> f = new CompletableFuture<>();
    submit(
        r -> {
          Map<PeerId, GraylistState> out = new HashMap<>();
          for (Map.Entry<PeerId, GossipRouter.Graylisting> e : r.graylisted().entrySet()) {
            GossipRouter.Graylisting g = e.getValue();
            long since = g.sinceNanos() + routerToWallNanos;
            out.put(
                e.getKey(),
                new GraylistState(Instant.ofEpochSecond(0, since), g.breakdown(), g.term()));
          }
          f.complete(Map.copyOf(out));
        },
        f);
    return f;
  }

  /** A counter's current value; any thread. */
  @Override
  public long counter(GossipCounter c) {
    return counters.get(c);
  }

  /** The configuration in force: the start one with the run-time changes applied. */
  @Override
  public GossipsubConfig config() {
    return current;
  }

  /** Stops the router thread; queued inputs are discarded. Waits up to 5 s for the thread. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void submit(Consumer<GossipRouter> action) {
    submit(action, null);
  }

  private void submit(Consumer<GossipRouter> action, CompletableFuture<?> result) {
    if (!running) {
      if (result != null) {
        result.completeExceptionally(new IllegalStateException("gossipsub router closed"));
      }
      return;
    }
    inputs.add(
        new Call(
            result == null
                ? action
                : r -> {
                  try {
                    action.accept(r);
                  } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                  }
                }));
    LockSupport.unpark(thread);
  }

  private void run() {
    long interval = config.heartbeatInterval().toNanos();
    // The first heartbeat comes soon after start, as in js, so a fresh node builds its mesh fast.
    long nextHeartbeat = System.nanoTime() + Math.min(interval, TimeUnit.MILLISECONDS.toNanos(100));
    while (running) {
      boolean worked = false;
      try {
        // A bounded batch, so the heartbeat is not starved; everything a pass produced for one
        // peer then leaves as one RPC (one write) in flush().
        Input input;
        for (int i = 0; i < BATCH && running && (input = inputs.poll()) != null; i++) {
          if (input instanceof PeerRpc rpc) {
            queuedRpcs.decrementAndGet();
            if (rpc.prechecked() != null) {
              router.onRpc(rpc.peer(), rpc.prechecked(), clock.getAsLong());
            } else {
              router.onRpc(rpc.peer(), rpc.bytes(), clock.getAsLong());
            }
          } else {
            ((Call) input).action().accept(router);
          }
          worked = true;
        }
        if (System.nanoTime() - nextHeartbeat >= 0) {
          nextHeartbeat += interval;
          if (System.nanoTime() - nextHeartbeat > interval) {
            nextHeartbeat =
                System.nanoTime() + interval; // fell far behind: do not catch up in a burst
          }
          router.heartbeat(clock.getAsLong());
          worked = true;
        }
        if (worked) {
          router.flush();
        }
      } catch (Throwable t) {
        counters.increment(GossipCounter.ROUTER_ERRORS);
        reportError(t);
        if (t instanceof Error) {
          throw (Error) t;
        }
      }
      if (!worked) {
        LockSupport.parkNanos(this, Math.max(0, nextHeartbeat - System.nanoTime()));
      }
    }
  }

  /** Logs at most one error per interval: a peer able to trigger a bug must not flood the log. */
  private void reportError(Throwable t) {
    long now = System.nanoTime();
    if (lastErrorLog == Long.MIN_VALUE || now - lastErrorLog >= ERROR_LOG_INTERVAL_NANOS) {
      lastErrorLog = now;
      LOG.error("gossipsub router error ({} so far)", counters.get(GossipCounter.ROUTER_ERRORS), t);
    }
  }
}
