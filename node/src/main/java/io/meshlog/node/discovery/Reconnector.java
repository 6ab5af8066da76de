package io.meshlog.node.discovery;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.projection.KeptRows;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.ConnectionListener;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconnects as the product plan states it, from the {@link PeerRegistry}:
 *
 * <pre>
 *   start ─► registry = stored rows + fold of the journal after their checkpoint
 *         ─► dial the most reliable ≤ registry.startDials
 *   tick (reconnect.initial / 4, 20..250 ms)
 *     tail the journal into the registry; journal new identify addresses (PEER_ADDRESS_LEARNED)
 *     at most once a second (and at close): store what changed, with the checkpoint
 *     a mesh peer's last connection closed ─► DIAL_BACKOFF initial ─► DIAL_ATTEMPT ─┬─ open: done
 *                                                                                 └─ DIAL_FAILED
 *        next delay doubles up to reconnect.max, × (1 ± reconnect.jitter), until the peer has been
 *        away reconnect.replaceAfter: then a replacement is asked for (PEER_REPLACEMENT)
 *     every discovery.meshCheck: a topic with a mesh below D_lo dials registry peers (not eagerly
 *        otherwise: a peer outside every mesh is not redialled)
 * </pre>
 *
 * <p>Configured peers and directories are the node's dialer's (always redialled); this class
 * records them in the registry, so that a restart without {@code --peer} or {@code --directory}
 * still finds them, and does not dial them itself except on the plan of a mesh peer that dropped. A
 * replacement comes from the directories when there are any ({@link PeerDiscovery#replace}),
 * otherwise from the registry.
 *
 * <p>Thread-safe: all state lives on one "meshlog-reconnect" thread; listeners hand work to it.
 */
public final class Reconnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);
  private static final long MS = 1_000_000L;

  /** A mesh peer that dropped, redialled on the schedule. */
  private static final class Redial {
    final PeerId peer;
    final String topic;
    final long droppedAt;
    int attempt; // dials made so far
    long nextAt;
    long delayMs;
    boolean dialing;

    Redial(PeerId peer, String topic, long droppedAt) {
      this.peer = peer;
      this.topic = topic;
      this.droppedAt = droppedAt;
    }
  }

  /** What the Peers table shows of a peer's redial: when the next dial is, if one is due. */
  public record Plan(PeerId peer, String topic, int attempt, long nextDialAtNanos) {}

  /**
   * What a person debugging reconnection looks for about one peer.
   *
   * @param failureStreak dial failures since its last connection
   * @param nextDialAtNanos epoch nanos of the next redial, -1 when none is planned
   * @param sources where its addresses came from, e.g. {@code "config,identify"}; empty if unknown
   * @param addressSources each known address with its source
   */
  public record PeerState(
      int failureStreak,
      long nextDialAtNanos,
      String sources,
      Map<Multiaddr, PeerRegistry.Source> addressSources) {}

  private volatile Map<PeerId, PeerRegistry.Entry> snapshot = Map.of();
  private long snapshotVersion = -1;
  private long snapshotAt;

  private final Host host;
  private final DiscoveryConfig config;
  private final EventSink sink;
  private final TopicMesh mesh;
  private final LongSupplier clock;
  private final java.util.function.Supplier<JournalReader> readers;
  private JournalReader tail;
  private final PeerRegistry registry;
  private final PeerRegistryRows stored;
  private long savedAt;
  private final Set<String> topics = new CopyOnWriteArraySet<>();

  /**
   * Each peer seen in a mesh within {@link #MESH_MEMORY_NANOS}: the topic and when. A peer that
   * stops cleanly ends its gossip streams first and closes its connection only after its last
   * writes left, so by then it has left the mesh; remembered for a while, it still counts as the
   * mesh peer it was when the connection closes.
   */
  private final Map<PeerId, Sighting> meshSightings = new HashMap<>();

  private record Sighting(String topic, long atNanos) {}

  /** How long a peer seen in a mesh counts as a mesh peer when its last connection closes. */
  static final long MESH_MEMORY_NANOS = 10_000_000_000L;

  private final Map<PeerId, Redial> redials = new HashMap<>();

  /**
   * Peers the node's own dialer keeps connected (this run's configured peers and directories, and
   * those added at run time): not dialled here at start, for a topic or as a replacement, since the
   * node's dialer already dials them at once and two dialers racing for one peer open two
   * connections. A configured mesh peer that drops still gets its plan (the Peers table shows it);
   * whichever dial connects first ends the other.
   */
  private final Set<PeerId> keptByNode = ConcurrentHashMap.newKeySet();

  private final Map<PeerId, Long> lastNeedDial = new HashMap<>();
  private final Set<String> journaledAddresses = new HashSet<>();
  private final Map<PeerId, Plan> plans = new ConcurrentHashMap<>();
  private final ScheduledExecutorService thread;
  private volatile PeerDiscovery discovery;
  private long nextMeshCheck;
  private volatile boolean closed;

  private Reconnector(
      Host host,
      DiscoveryConfig config,
      EventSink sink,
      java.util.function.Supplier<JournalReader> journal,
      KeptRows rows,
      TopicMesh mesh,
      LongSupplier clock) {
    this.host = host;
    this.config = config;
    this.sink = sink;
    this.mesh = mesh;
    this.clock = clock;
    this.readers = journal;
    this.tail = journal.get();
    this.stored = new PeerRegistryRows(rows);
    this.registry =
        stored.load(host.peerId(), config.registryMaxPeers(), config.registryMaxAge().toNanos());
    loadAndCatchUp();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-reconnect");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Loads the registry stored in {@code rows} and folds the records of {@code journal} after its
   * checkpoint (readers from its start; the one in use is this object's and is closed with it),
   * records the configured peers and directories in it, and starts: dials the most reliable known
   * peers, then follows the schedule of the class comment, storing the registry as it goes.
   *
   * @param rows the projection store's peer registry column, written from the reconnect thread
   * @param clock wall time in epoch nanoseconds
   */
  public static Reconnector start(
      Host host,
      DiscoveryConfig config,
      EventSink sink,
      java.util.function.Supplier<JournalReader> journal,
      KeptRows rows,
      TopicMesh mesh,
      List<String> initialTopics,
      List<Multiaddr> configuredPeers,
      List<Multiaddr> configuredDirectories,
      LongSupplier clock) {
    Reconnector r = new Reconnector(host, config, sink, journal, rows, mesh, clock);
    r.topics.addAll(initialTopics);
    for (Multiaddr p : configuredPeers) {
      r.keptByNode.add(p.peerId().orElseThrow());
      r.learn(p.peerId().orElseThrow(), PeerRegistry.Source.CONFIG, List.of(p));
    }
    for (Multiaddr d : configuredDirectories) {
      r.keptByNode.add(d.peerId().orElseThrow());
      r.learn(d.peerId().orElseThrow(), PeerRegistry.Source.DIRECTORY_CONFIG, List.of(d));
    }
    host.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void onClosed(Connection connection, String reason) {
            PeerId peer = connection.remotePeer();
            r.run(() -> r.dropped(peer, reason));
          }
        });
    long period = Math.max(20, Math.min(250, config.redialInitial().toMillis() / 4));
    r.thread.execute(r::dialFromRegistryAtStart);
    r.thread.scheduleWithFixedDelay(r::tick, period, period, TimeUnit.MILLISECONDS);
    return r;
  }

  /**
   * {@code peer} is kept connected by the node's dialer from now on (a peer or directory added at
   * run time): no longer dialled here at start, for a topic or as a replacement.
   */
  public void keptByNode(PeerId peer) {
    keptByNode.add(peer);
  }

  /**
   * Whether the reconnect thread has seen {@code peer} in one of this node's meshes within the last
   * {@link #MESH_MEMORY_NANOS}: a mesh peer it will plan a redial for if its last connection
   * closes. The mesh is sampled every tick, so a peer that joined a mesh moments ago may not be
   * seen yet.
   */
  public boolean seenInMesh(PeerId peer) {
    return call(() -> meshSightings.containsKey(peer), false);
  }

  /** Directories remembered in the registry (from an earlier run's {@code node.directories}). */
  public List<Multiaddr> rememberedDirectories() {
    return call(registry::directories, List.of());
  }

  /** Where replacements for lost mesh peers come from, once discovery has started. */
  public void useDiscovery(PeerDiscovery d) {
    this.discovery = d;
  }

  public void join(String topic) {
    topics.add(topic);
  }

  public void leave(String topic) {
    topics.remove(topic);
  }

  /** Peer-exchange dials in flight at most: a PRUNE offers up to gossipsub.prunePeers at once. */
  static final int MAX_PX_DIALS = 8;

  private int pxDials; // in flight; reconnect thread

  /**
   * A peer offered by gossipsub peer exchange (a PRUNE from a well-scored peer), with the signed
   * peer record it came with. On the reconnect thread: the record is verified and must be the
   * offered peer's own; its addresses go into the registry (source {@code px}), and the peer is
   * dialled unless it is connected, the node's dialer keeps it, or {@link #MAX_PX_DIALS} such dials
   * are in flight. This is how a star (every node dialled only the hub) becomes a mesh: the hub's
   * prunes beyond D_hi introduce the spokes to each other. A record that does not verify is
   * journaled as INPUT_REJECTED. Any thread; never blocks.
   */
  public void peerExchange(PeerId offered, PeerId from, byte[] envelope) {
    run(() -> offeredByPeerExchange(offered, from, envelope));
  }

  private void offeredByPeerExchange(PeerId offered, PeerId from, byte[] envelope) {
    if (closed || offered.equals(host.peerId())) {
      return;
    }
    PeerRecord record;
    try {
      record = PeerRecord.open(envelope);
    } catch (io.meshlog.node.p2p.InvalidRecordException e) {
      journal(
          EventType.INPUT_REJECTED,
          from,
          null,
          0,
          "peer exchange: record offered for " + offered + ": " + e.getMessage());
      return;
    }
    if (!record.peerId().equals(offered)) {
      journal(
          EventType.INPUT_REJECTED,
          from,
          null,
          0,
          "peer exchange: record of " + record.peerId() + " offered as " + offered);
      return;
    }
    learn(offered, PeerRegistry.Source.PX, record.addresses());
    if (record.addresses().isEmpty()
        || keptByNode.contains(offered)
        || redials.containsKey(offered)
        || host.connection(offered).isPresent()
        || pxDials >= MAX_PX_DIALS) {
      return;
    }
    List<Multiaddr> to = new ArrayList<>();
    for (Multiaddr a : record.addresses()) {
      to.add(a.withPeerId(offered));
    }
    pxDials++;
    dial(offered, to, "peer exchange from " + from, ok -> pxDials--);
  }

  /** A verified record from a directory's answer (or PX): its addresses go into the registry. */
  public void discovered(PeerRecord record, PeerRegistry.Source source) {
    run(() -> learn(record.peerId(), source, record.addresses()));
  }

  /** The registry now, most reliable first (a snapshot, asked of the reconnect thread). */
  public List<PeerRegistry.Entry> registry() {
    return call(() -> registry.entries(clock.getAsLong()), List.of());
  }

  /**
   * The registry's view of {@code peer} (at most a second old) and its planned redial; any thread,
   * never blocks. Null when the peer is not in the registry.
   */
  public PeerState state(PeerId peer) {
    PeerRegistry.Entry e = snapshot.get(peer);
    Plan plan = plans.get(peer);
    if (e == null && plan == null) {
      return null;
    }
    java.util.LinkedHashSet<String> labels = new java.util.LinkedHashSet<>();
    Map<Multiaddr, PeerRegistry.Source> addresses = e == null ? Map.of() : e.addresses();
    for (PeerRegistry.Source s : addresses.values()) {
      labels.add(s.label());
    }
    return new PeerState(
        e == null ? 0 : e.failureStreak(),
        plan == null ? -1 : plan.nextDialAtNanos(),
        String.join(",", labels),
        addresses);
  }

  /** Every redial planned now (mesh peers that dropped); any thread. */
  public List<Plan> plans() {
    return List.copyOf(plans.values());
  }

  /** The redial planned for {@code peer}, if a mesh peer of it is being redialled. */
  public Plan plan(PeerId peer) {
    return plans.get(peer);
  }

  // ---- the reconnect thread

  private void dialFromRegistryAtStart() {
    try {
      long now = clock.getAsLong();
      int n = 0;
      for (PeerRegistry.Entry e : registry.entries(now)) {
        if (n >= config.registryStartDials()) {
          break;
        }
        if (e.addresses().isEmpty()
            || keptByNode.contains(e.peer())
            || host.connection(e.peer()).isPresent()) {
          continue;
        }
        n++;
        dial(
            e.peer(),
            addresses(e),
            String.format("restart: from registry (reliability %.2f)", e.reliability(now)),
            null);
      }
    } catch (RuntimeException e) {
      LOG.warn("dialling from the registry at start failed", e);
    }
  }

  private void tick() {
    // Loop boundary of the reconnect thread: a failure here must not stop reconnecting for good.
    try {
      if (closed) {
        return;
      }
      long now = clock.getAsLong();
      catchUp();
      if (now - savedAt >= 1_000 * MS) {
        save();
        savedAt = now;
      }
      learnIdentifiedAddresses();
      if (registry.version() != snapshotVersion && now - snapshotAt >= 1_000 * MS) {
        Map<PeerId, PeerRegistry.Entry> next = new HashMap<>();
        for (PeerRegistry.Entry e : registry.entries(now)) {
          next.put(e.peer(), e);
        }
        snapshot = next;
        snapshotVersion = registry.version();
        snapshotAt = now;
      }
      sampleMesh();
      for (Redial r : new ArrayList<>(redials.values())) {
        if (!r.dialing && now >= r.nextAt) {
          redial(r, now);
        }
      }
      if (now >= nextMeshCheck) {
        nextMeshCheck = now + config.meshCheck().toNanos();
        dialForTopicsBelowLowWatermark(now);
      }
    } catch (RuntimeException e) {
      LOG.warn("reconnect tick failed; retrying at the next tick", e);
    }
  }

  /**
   * Folds what the journal has appended since the last call. The tail can meet a record the journal
   * thread is still writing, which the reader reports as damaged: then this round stops there and
   * the next one reopens the reader after the last event folded.
   */
  private void catchUp() {
    try {
      registry.catchUp(tail);
    } catch (io.meshlog.eventlog.JournalException e) {
      LOG.debug("registry tail stopped at a record being written: {}", e.toString());
      try {
        tail.close();
      } catch (Exception ignored) {
        // reopened below either way
      }
      tail = readers.get();
      tail.toAfter(registry.lastIndex());
    }
  }

  /**
   * At construction: folds the journal after the stored checkpoint, says when retention deleted
   * records the registry had not folded yet (it keeps what it had), and stores the result.
   */
  private void loadAndCatchUp() {
    long from = registry.lastIndex();
    int loaded = registry.size();
    if (from >= 0) {
      tail.toAfter(from);
    }
    catchUp();
    if (from >= 0) {
      LOG.info(
          "peer registry: {} peers stored through journal index {}; {} newer records folded, {}"
              + " peers now",
          loaded,
          from,
          registry.folded(),
          registry.size());
    }
    if (registry.sequenceGap() > 0) {
      LOG.warn(
          "peer registry: the journal no longer holds {} records after the registry's checkpoint"
              + " (retention deleted them before they were folded); keeping the {} peers it knew",
          registry.sequenceGap(),
          loaded);
    }
    save();
  }

  /** Stores what changed in the registry since the last save; a failure waits for the next. */
  private void save() {
    try {
      stored.save(registry);
    } catch (RuntimeException e) {
      LOG.warn("storing the peer registry failed; retrying at the next save", e);
    }
  }

  private void sampleMesh() {
    long now = clock.getAsLong();
    for (String topic : topics) {
      for (PeerId p : mesh.meshMembers(topic)) {
        meshSightings.put(p, new Sighting(topic, now));
      }
    }
    meshSightings.values().removeIf(s -> now - s.atNanos() > MESH_MEMORY_NANOS);
  }

  private void dropped(PeerId peer, String reason) {
    if (closed || host.connection(peer).isPresent() || redials.containsKey(peer)) {
      return;
    }
    Sighting seen = meshSightings.remove(peer);
    String topic = seen == null ? null : seen.topic();
    if (topic == null) {
      return; // not in any mesh: dialled again only when a topic needs peers
    }
    PeerRegistry.Entry e = registry.get(peer);
    if (e == null || e.addresses().isEmpty()) {
      LOG.debug("mesh peer {} dropped and no address of it is known", peer);
      return;
    }
    Redial r = new Redial(peer, topic, clock.getAsLong());
    redials.put(peer, r);
    schedule(r, "mesh peer of " + topic + " dropped (" + reason + ")");
  }

  /** Schedules the next dial of {@code r}: initial × 2^attempt, at most max, with jitter. */
  private void schedule(Redial r, String why) {
    long base =
        Math.min(
            config.redialMax().toMillis(),
            config.redialInitial().toMillis() << Math.min(30, r.attempt));
    double j = config.redialJitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
    r.delayMs = Math.max(1, Math.round(base * (1 + j)));
    r.nextAt = clock.getAsLong() + r.delayMs * MS;
    plans.put(r.peer, new Plan(r.peer, r.topic, r.attempt, r.nextAt));
    journal(
        EventType.DIAL_BACKOFF,
        r.peer,
        r.topic,
        r.delayMs,
        why + ", next dial is attempt " + (r.attempt + 1));
  }

  private void redial(Redial r, long now) {
    if (host.connection(r.peer).isPresent()) {
      forget(r);
      return;
    }
    PeerRegistry.Entry e = registry.get(r.peer);
    if (e == null || e.addresses().isEmpty()) {
      forget(r);
      return;
    }
    r.dialing = true;
    r.attempt++;
    dial(
        r.peer,
        addresses(e),
        "redial of mesh peer of " + r.topic + ", attempt " + r.attempt,
        ok -> {
          r.dialing = false;
          if (ok || closed) {
            forget(r);
          } else if (clock.getAsLong() - r.droppedAt >= config.replaceAfter().toNanos()) {
            forget(r);
            replace(r);
          } else {
            schedule(r, "attempt " + r.attempt + " failed");
          }
        });
  }

  private void forget(Redial r) {
    redials.remove(r.peer);
    plans.remove(r.peer);
  }

  private void replace(Redial r) {
    long awaySeconds = (clock.getAsLong() - r.droppedAt) / 1_000_000_000L;
    PeerDiscovery d = discovery;
    if (d != null && d.replace(r.topic, r.peer, awaySeconds)) {
      return; // the directories answer; PeerDiscovery journals each replacement it dials
    }
    for (PeerRegistry.Entry e : registry.entries(clock.getAsLong())) {
      if (!e.peer().equals(r.peer)
          && !e.addresses().isEmpty()
          && host.connection(e.peer()).isEmpty()
          && !e.isDirectory()
          && !keptByNode.contains(e.peer())) {
        journal(
            EventType.PEER_REPLACEMENT,
            e.peer(),
            r.topic,
            0,
            "replaces " + r.peer + " (away " + awaySeconds + "s); from the registry");
        dial(e.peer(), addresses(e), "replacement for " + r.peer + " in " + r.topic, null);
        return;
      }
    }
    LOG.info("no replacement known for lost mesh peer {} of {}", r.peer, r.topic);
  }

  private void dialForTopicsBelowLowWatermark(long now) {
    for (String topic : topics) {
      int size = mesh.meshPeers(topic);
      if (size < 0 || size >= mesh.lowWatermark()) {
        continue;
      }
      int n = 0;
      for (PeerRegistry.Entry e : registry.entries(now)) {
        if (n >= config.registryStartDials()) {
          break;
        }
        Long last = lastNeedDial.get(e.peer());
        if (e.addresses().isEmpty()
            || e.isDirectory()
            || keptByNode.contains(e.peer())
            || redials.containsKey(e.peer())
            || host.connection(e.peer()).isPresent()
            || last != null && now - last < config.redialMax().toNanos()) {
          continue;
        }
        n++;
        lastNeedDial.put(e.peer(), now);
        dial(
            e.peer(),
            addresses(e),
            "topic "
                + topic
                + " needs peers (mesh "
                + size
                + " < D_lo "
                + mesh.lowWatermark()
                + ")",
            null);
      }
    }
    lastNeedDial.values().removeIf(t -> now - t > config.redialMax().toNanos());
  }

  /** Dials the addresses in order; journals the attempt and, if all fail, why. */
  private void dial(
      PeerId peer,
      List<Multiaddr> addresses,
      String reason,
      java.util.function.Consumer<Boolean> done) {
    journal(EventType.DIAL_ATTEMPT, peer, null, 0, addresses.get(0) + " " + reason);
    dialFrom(peer, addresses, 0, reason, done);
  }

  private void dialFrom(
      PeerId peer,
      List<Multiaddr> addresses,
      int i,
      String reason,
      java.util.function.Consumer<Boolean> done) {
    Multiaddr a = addresses.get(i);
    CompletableFuture<Connection> f;
    try {
      f = host.dial(a);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenCompleteAsync(
        (c, e) -> {
          try {
            dialed(peer, addresses, i, reason, done, a, e);
          } catch (RuntimeException ex) {
            LOG.warn("handling the dial of {} failed", peer, ex); // the reconnect thread lives on
          }
        },
        thread);
  }

  private void dialed(
      PeerId peer,
      List<Multiaddr> addresses,
      int i,
      String reason,
      java.util.function.Consumer<Boolean> done,
      Multiaddr a,
      Throwable e) {
    if (e == null) {
      if (done != null) {
        done.accept(true);
      }
    } else if (i + 1 < addresses.size() && !closed) {
      dialFrom(peer, addresses, i + 1, reason, done);
    } else {
      PeerRegistry.Entry entry = registry.get(peer);
      int streak = entry == null ? 1 : entry.failureStreak() + 1;
      journal(EventType.DIAL_FAILED, peer, null, streak, a + " " + cause(e));
      if (done != null) {
        done.accept(false);
      }
    }
  }

  private void learnIdentifiedAddresses() {
    for (ConnectionInfo info : host.connections()) {
      PeerId p = info.peer();
      List<Multiaddr> fresh = new ArrayList<>();
      for (Multiaddr a : info.listenAddresses()) {
        if (!registry.knows(p, a) && !journaledAddresses.contains(p + " " + a)) {
          fresh.add(a);
        }
      }
      if (!fresh.isEmpty()) {
        learn(p, PeerRegistry.Source.IDENTIFY, fresh);
      } else if (info.direction() == Direction.INBOUND
          && registry.get(p) == null
          && journaledAddresses.add(p + " inbound")) {
        journal(EventType.PEER_ADDRESS_LEARNED, p, null, 0, PeerRegistry.Source.INBOUND.label());
      }
    }
    if (journaledAddresses.size() > 10_000) {
      journaledAddresses.clear(); // they are in the registry by now; this only bridges the tail
    }
  }

  private void learn(PeerId peer, PeerRegistry.Source source, List<Multiaddr> addresses) {
    if (peer.equals(host.peerId())) {
      return;
    }
    List<Multiaddr> fresh = new ArrayList<>();
    for (Multiaddr a : addresses) {
      boolean configured =
          source == PeerRegistry.Source.CONFIG || source == PeerRegistry.Source.DIRECTORY_CONFIG;
      PeerRegistry.Entry e = registry.get(peer);
      PeerRegistry.Source known = e == null ? null : e.addresses().get(a.withoutPeerId());
      if ((known == null || configured && known != source)
          && journaledAddresses.add(peer + " " + a.withoutPeerId() + " " + source)) {
        fresh.add(a);
      }
    }
    if (!fresh.isEmpty()) {
      // Into the registry through the journal only, when the tail folds it, so the registry
      // stored is exactly a fold of the journal; journaledAddresses bridges the wait.
      journal(
          EventType.PEER_ADDRESS_LEARNED, peer, null, 0, PeerRegistry.learnedText(source, fresh));
    }
  }

  private static List<Multiaddr> addresses(PeerRegistry.Entry e) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : e.addresses().keySet()) {
      out.add(a.withPeerId(e.peer()));
    }
    return out;
  }

  private void journal(EventType type, PeerId peer, String topic, long value, String text) {
    try {
      sink.publish(
          new Event()
              .type(type)
              .timeNanos(clock.getAsLong())
              .peer(peer.bytes())
              .topic(topic)
              .value(value)
              .text(text));
    } catch (RuntimeException e) {
      LOG.debug("journal refused {}: {}", type, e.toString());
    }
  }

  private static String cause(Throwable t) {
    Throwable c =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  private void run(Runnable task) {
    if (!closed) {
      try {
        thread.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private <T> T call(java.util.concurrent.Callable<T> task, T otherwise) {
    if (closed) {
      return otherwise;
    }
    try {
      return thread.submit(task).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return otherwise;
    } catch (Exception e) {
      return otherwise;
    }
  }

  /** Stops redialling; connections stay. Idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isTerminated()) {
      catchUp(); // the reconnect thread is gone: this thread owns the registry now
      save();
    }
    try {
      tail.close();
    } catch (Exception e) {
      LOG.debug("closing the registry's journal reader failed", e);
    }
  }
}
