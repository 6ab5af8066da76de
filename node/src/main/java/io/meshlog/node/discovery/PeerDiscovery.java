package io.meshlog.node.discovery;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionListener;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's side of discovery: registers each of its topics with every reachable directory,
 * refreshes before the TTL runs out, DISCOVERs at start, every {@code discovery.interval} and
 * whenever a topic's mesh is below D_lo, dials what it discovers directly, and unregisters on a
 * clean stop.
 *
 * <pre>
 *   tick (1 s, or at once when a directory connects)
 *     per directory: connected? ─ changed ─► DIRECTORY_UP / DIRECTORY_DOWN
 *       up: per topic: due? ─► REGISTER ─► REGISTRATION_SENT … REGISTRATION_ANSWERED
 *                      due, or mesh &lt; D_lo ─► DISCOVER ─► DISCOVER_RESULT ─► dial ≤ maxDials
 * </pre>
 *
 * <p>A directory that comes back (the node's dialer redials it) is registered with again at once,
 * not at the next refresh. While no directory is reachable nothing else changes: connections and
 * meshes are the router's.
 *
 * <p>Thread-safe: all state lives on one "meshlog-discovery" thread; answers are handed to it.
 */
public final class PeerDiscovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);
  private static final long SECOND = 1_000_000_000L;

  private static final class TopicState {
    long nextRegisterAt;
    String registerReason = "start";
    boolean registering;
    long nextDiscoverAt;
    String discoverReason = "start";
    long lastDiscoverAt = Long.MIN_VALUE / 2;
    boolean discovering;
    byte[] cookie;
  }

  private static final class Link {
    final PeerId id;
    boolean up;
    boolean everUp;
    final Map<String, TopicState> topics = new HashMap<>();

    Link(PeerId id) {
      this.id = id;
    }
  }

  private final Host host;
  private final DiscoveryConfig config;
  private final EventSink sink;
  private final TopicMesh mesh;
  private final DiscoveryListener listener;
  private final LongSupplier clock;
  private final RendezvousClient client;
  private final PeerRecord record;
  private final List<Link> links = new ArrayList<>();
  private final Set<String> topics = new CopyOnWriteArraySet<>();
  private final ScheduledExecutorService thread;
  private volatile boolean closed;

  private PeerDiscovery(
      Host host,
      Identity identity,
      DiscoveryConfig config,
      EventSink sink,
      TopicMesh mesh,
      DiscoveryListener listener,
      LongSupplier clock) {
    this.host = host;
    this.config = config;
    this.sink = sink;
    this.mesh = mesh;
    this.listener = listener;
    this.clock = clock;
    this.record = PeerRecord.sign(identity, host.listenAddresses(), clock.getAsLong());
    for (Multiaddr d : config.directoryAddresses()) {
      links.add(new Link(d.peerId().orElseThrow()));
    }
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-discovery");
              t.setDaemon(true);
              return t;
            });
    this.client = new RendezvousClient(host, config.requestTimeout(), thread);
  }

  /**
   * Starts discovery for {@code initialTopics} with the directories of {@code config}. Dialling the
   * directories is the node's (they are configured peers, always redialled); this registers as soon
   * as a connection to one is up.
   *
   * @param clock wall time in epoch nanoseconds
   */
  public static PeerDiscovery start(
      Host host,
      Identity identity,
      DiscoveryConfig config,
      EventSink sink,
      TopicMesh mesh,
      DiscoveryListener listener,
      List<String> initialTopics,
      LongSupplier clock) {
    PeerDiscovery d = new PeerDiscovery(host, identity, config, sink, mesh, listener, clock);
    d.topics.addAll(initialTopics);
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onOpened(Connection connection) {
            if (d.isDirectory(connection.remotePeer())) {
              d.tickSoon();
            }
          }

          @Override
          public void onClosed(Connection connection, String reason) {
            if (d.isDirectory(connection.remotePeer())) {
              d.tickSoon();
            }
          }
        });
    long period = Math.max(50, Math.min(1000, config.meshCheck().toMillis()));
    d.thread.scheduleWithFixedDelay(d::tick, 0, period, TimeUnit.MILLISECONDS);
    return d;
  }

  private boolean isDirectory(PeerId peer) {
    for (Link l : links) {
      if (l.id.equals(peer)) {
        return true;
      }
    }
    return false;
  }

  private void tickSoon() {
    if (!closed) {
      thread.execute(this::tick);
    }
  }

  /** Registers {@code topic} too, from now on. */
  public void join(String topic) {
    if (topics.add(topic)) {
      tickSoon();
    }
  }

  /** Stops registering {@code topic} and unregisters it where registered. */
  public void leave(String topic) {
    if (topics.remove(topic) && !closed) {
      thread.execute(
          () -> {
            for (Link l : links) {
              if (l.topics.remove(topic) != null && l.up) {
                unregister(l, topic, "left topic");
              }
            }
          });
    }
  }

  /** The record this node registers with. */
  public PeerRecord record() {
    return record;
  }

  private void tick() {
    // Loop boundary of the discovery thread: a failure here must not stop discovery for good.
    try {
      if (closed) {
        return;
      }
      long now = clock.getAsLong();
      Map<String, Integer> meshSizes = new HashMap<>();
      for (Link l : links) {
        boolean connected = host.connection(l.id).isPresent();
        if (connected && !l.up) {
          l.up = true;
          journal(EventType.DIRECTORY_UP, l.id, null, 0, "connected");
          String reason = l.everUp ? "directory reachable again" : "start";
          l.everUp = true;
          for (TopicState ts : l.topics.values()) {
            ts.nextRegisterAt = now;
            ts.registerReason = reason;
            ts.nextDiscoverAt = now;
            ts.discoverReason = reason;
          }
        } else if (!connected && l.up) {
          l.up = false;
          journal(EventType.DIRECTORY_DOWN, l.id, null, 0, "connection lost");
        }
        if (!l.up) {
          continue;
        }
        for (String topic : topics) {
          TopicState ts = l.topics.computeIfAbsent(topic, t -> new TopicState());
          if (!ts.registering && now >= ts.nextRegisterAt) {
            register(l, topic, ts, now);
          }
          if (ts.discovering) {
            continue;
          }
          if (now >= ts.nextDiscoverAt) {
            String reason = ts.discoverReason;
            ts.discoverReason = "interval";
            ts.nextDiscoverAt = now + config.interval().toNanos();
            discover(l, topic, ts, reason, null, now);
          } else if (now - ts.lastDiscoverAt >= config.meshCheck().toNanos()) {
            int size = meshSizes.computeIfAbsent(topic, mesh::meshPeers);
            if (size >= 0 && size < mesh.lowWatermark()) {
              discover(
                  l,
                  topic,
                  ts,
                  "mesh " + size + " below D_lo " + mesh.lowWatermark(),
                  ts.cookie,
                  now);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("discovery tick failed; retrying at the next tick", e);
    }
  }

  private void register(Link l, String topic, TopicState ts, long now) {
    ts.registering = true;
    long ttl = config.ttl().getSeconds();
    journal(EventType.REGISTRATION_SENT, l.id, topic, ttl, ts.registerReason);
    client
        .register(l.id, topic, record, ttl)
        .whenCompleteAsync(
            (answer, error) -> {
              ts.registering = false;
              long at = clock.getAsLong();
              if (error != null) {
                ts.nextRegisterAt = at + config.meshCheck().toNanos();
                ts.registerReason = "retry after failure";
                journal(
                    EventType.REGISTRATION_ANSWERED, l.id, topic, -1, "failed: " + cause(error));
              } else if (answer.status() == RendezvousStatus.OK) {
                long granted = answer.ttlSeconds() > 0 ? answer.ttlSeconds() : ttl;
                long refresh =
                    Math.min(config.refreshInterval().toNanos(), granted * SECOND / 4 * 3);
                ts.nextRegisterAt = at + Math.max(SECOND, refresh);
                ts.registerReason = "refresh";
                journal(EventType.REGISTRATION_ANSWERED, l.id, topic, 0, "OK ttl " + granted + "s");
              } else {
                ts.nextRegisterAt = at + config.interval().toNanos();
                ts.registerReason = "retry after " + answer.status();
                journal(
                    EventType.REGISTRATION_ANSWERED,
                    l.id,
                    topic,
                    answer.status().code(),
                    answer.status() + (answer.text() == null ? "" : ": " + answer.text()));
              }
            },
            thread);
  }

  private void discover(
      Link l, String topic, TopicState ts, String reason, byte[] cookie, long now) {
    discover(l, topic, ts, reason, cookie, now, null);
  }

  /**
   * Asks every reachable directory for peers of {@code topic} to replace {@code lost}, a mesh peer
   * whose redials failed for {@code awaySeconds}; each peer dialled for it is journaled as {@code
   * PEER_REPLACEMENT}. Returns false, asking nothing, when no directory is reachable.
   */
  public boolean replace(String topic, PeerId lost, long awaySeconds) {
    if (closed) {
      return false;
    }
    boolean any = false;
    for (Link l : links) {
      any |= host.connection(l.id).isPresent();
    }
    if (!any) {
      return false;
    }
    thread.execute(
        () -> {
          long now = clock.getAsLong();
          for (Link l : links) {
            if (l.up) {
              TopicState ts = l.topics.computeIfAbsent(topic, t -> new TopicState());
              discover(
                  l,
                  topic,
                  ts,
                  "replacement for " + lost + " (away " + awaySeconds + "s)",
                  null,
                  now,
                  lost);
            }
          }
        });
    return true;
  }

  private void discover(
      Link l,
      String topic,
      TopicState ts,
      String reason,
      byte[] cookie,
      long now,
      PeerId replacing) {
    ts.discovering = true;
    ts.lastDiscoverAt = now;
    client
        .discover(l.id, topic, config.limit(), cookie)
        .whenCompleteAsync(
            (answer, error) -> {
              ts.discovering = false;
              if (error != null) {
                journal(
                    EventType.DISCOVER_RESULT,
                    l.id,
                    topic,
                    -1,
                    reason + ": failed: " + cause(error));
                return;
              }
              if (answer.status() != RendezvousStatus.OK) {
                if (answer.status() == RendezvousStatus.E_INVALID_COOKIE) {
                  ts.cookie = null;
                }
                journal(
                    EventType.DISCOVER_RESULT,
                    l.id,
                    topic,
                    -1,
                    reason
                        + ": "
                        + answer.status()
                        + (answer.text() == null ? "" : ": " + answer.text()));
                return;
              }
              if (answer.cookie() != null) {
                ts.cookie = answer.cookie();
              }
              int dialled = dial(l, topic, answer.entries(), replacing);
              journal(
                  EventType.DISCOVER_RESULT,
                  l.id,
                  topic,
                  answer.entries().size(),
                  reason
                      + ", dialled "
                      + dialled
                      + (answer.invalid() > 0 ? ", " + answer.invalid() + " invalid records" : ""));
            },
            thread);
  }

  /** Hands every record to the listener, then dials up to maxDials peers not yet connected. */
  private int dial(
      Link from, String topic, List<RendezvousClient.Discovered.Entry> entries, PeerId replacing) {
    Map<PeerId, PeerRecord> candidates = new LinkedHashMap<>();
    for (RendezvousClient.Discovered.Entry e : entries) {
      PeerRecord r = e.record();
      try {
        listener.discovered(from.id, topic, r);
      } catch (RuntimeException ex) {
        LOG.warn("discovery listener failed", ex);
      }
      if (!r.peerId().equals(host.peerId())
          && !r.peerId().equals(replacing)
          && !r.addresses().isEmpty()
          && host.connection(r.peerId()).isEmpty()) {
        candidates.put(r.peerId(), r);
      }
    }
    List<PeerRecord> order = new ArrayList<>(candidates.values());
    Collections.shuffle(order);
    int n = Math.min(config.maxDials(), order.size());
    if (replacing != null) {
      n = Math.min(n, 1); // one replacement per lost peer
    }
    for (int i = 0; i < n; i++) {
      if (replacing != null) {
        journal(
            EventType.PEER_REPLACEMENT,
            order.get(i).peerId(),
            topic,
            0,
            "replaces " + replacing + "; from directory " + from.id);
      }
      dialAny(order.get(i).dialAddresses(), 0);
    }
    return n;
  }

  private void dialAny(List<Multiaddr> addresses, int i) {
    if (i >= addresses.size() || closed) {
      return;
    }
    host.dial(addresses.get(i))
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                dialAny(addresses, i + 1); // the host journaled why this one failed
              }
            });
  }

  private CompletableFuture<Void> unregister(Link l, String topic, String reason) {
    journal(EventType.UNREGISTER_SENT, l.id, topic, 0, reason);
    return client.unregister(l.id, topic);
  }

  private void journal(EventType type, PeerId peer, String topic, long value, String text) {
    sink.publish(
        new Event()
            .type(type)
            .timeNanos(clock.getAsLong())
            .peer(peer.bytes())
            .topic(topic)
            .value(value)
            .text(text));
  }

  private static String cause(Throwable t) {
    Throwable c =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /**
   * Unregisters every topic at every reachable directory (waiting up to the request timeout for the
   * writes), then stops. Call before the host closes. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    CompletableFuture<List<CompletableFuture<Void>>> sent =
        CompletableFuture.supplyAsync(
            () -> {
              List<CompletableFuture<Void>> writes = new ArrayList<>();
              for (Link l : links) {
                if (l.up && host.connection(l.id).isPresent()) {
                  for (String topic : topics) {
                    writes.add(unregister(l, topic, "clean stop"));
                  }
                }
              }
              return writes;
            },
            thread);
    closed = true;
    try {
      List<CompletableFuture<Void>> writes =
          sent.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
          .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.info("unregistering at the directories did not complete: {}", e.toString());
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
