package io.meshlog.node.discovery;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What this node knows of other peers: their addresses and where each was learned, when they were
 * first and last seen and last connected, dial successes, failures and the current failure streak,
 * and a reliability score. It is a fold of the node's own journal, kept in the projection store
 * with the journal index it has folded through ({@link PeerRegistryRows}), so a restarted node (or
 * {@code meshlog peers} on its data directory, running or stopped) loads it and folds only the
 * records after that index, and still knows the peers whose records journal retention deleted:
 *
 * <pre>
 *   PEER_ADDRESS_LEARNED   addresses (text = source and addresses), first/last seen
 *   CONNECTION_OPENED      successes + 1, streak = 0, last connected, last seen
 *   CONNECTION_CLOSED      last seen
 *   DIAL_FAILED            failures + 1, streak + 1
 * </pre>
 *
 * <p>Bounded: beyond {@code maxPeers} the least reliable (then the longest unseen, then the lowest
 * peer id) entry is evicted, never a remembered directory. An entry not seen for {@code maxAge}
 * before a record is gone for that record (it starts afresh), and {@link #catchUp} drops every such
 * entry as of the latest record's time. Time comes from the events, never from a clock: folding the
 * same records gives the same registry, however the folds were split between runs.
 *
 * <p>Not thread-safe: owned by one thread (the reconnect thread, or a command).
 */
public final class PeerRegistry {

  /** Where an address was learned. Names are the journal's and the JSON's; never renamed. */
  public enum Source {
    /** {@code --peer} / {@code node.peers}. */
    CONFIG,
    /** {@code --directory} / {@code node.directories}: remembered, used after a restart. */
    DIRECTORY_CONFIG,
    /** a directory's DISCOVER answer (a verified signed peer record). */
    DIRECTORY,
    /** gossipsub peer exchange on PRUNE (a verified signed peer record). */
    PX,
    /** the listen addresses a connected peer's identify announced. */
    IDENTIFY,
    /** a peer that dialled us (its identify addresses come as {@code identify}). */
    INBOUND;

    /** The journal/JSON name: lower case, a dash for the underscore. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The source named {@code label}, or null. */
    public static Source ofLabel(String label) {
      for (Source s : values()) {
        if (s.label().equals(label)) {
          return s;
        }
      }
      return null;
    }
  }

  /** One known peer; a snapshot once handed out by {@link #entries}. */
  public static final class Entry {
    private final PeerId peer;
    private final Map<Multiaddr, Source> addresses = new LinkedHashMap<>();
    private long firstSeen;
    private long lastSeen;
    private long lastConnected = -1;
    private long successes;
    private long failures;
    private int streak;

    Entry(PeerId peer, long at) {
      this.peer = peer;
      this.firstSeen = at;
      this.lastSeen = at;
    }

    /** An entry as stored ({@link PeerRegistryRows}). */
    static Entry restored(
        PeerId peer,
        long firstSeen,
        long lastSeen,
        long lastConnected,
        long successes,
        long failures,
        int streak,
        Map<Multiaddr, Source> addresses) {
      Entry e = new Entry(peer, firstSeen);
      e.lastSeen = lastSeen;
      e.lastConnected = lastConnected;
      e.successes = successes;
      e.failures = failures;
      e.streak = streak;
      e.addresses.putAll(addresses);
      return e;
    }

    Entry copy() {
      Entry e = new Entry(peer, firstSeen);
      e.addresses.putAll(addresses);
      e.lastSeen = lastSeen;
      e.lastConnected = lastConnected;
      e.successes = successes;
      e.failures = failures;
      e.streak = streak;
      return e;
    }

    public PeerId peer() {
      return peer;
    }

    /** Each address with the source it was first learned from (configured ones win), in order. */
    public Map<Multiaddr, Source> addresses() {
      return Collections.unmodifiableMap(addresses);
    }

    public long firstSeenNanos() {
      return firstSeen;
    }

    public long lastSeenNanos() {
      return lastSeen;
    }

    /** Epoch nanos of the last connection opened, or -1 for never. */
    public long lastConnectedNanos() {
      return lastConnected;
    }

    public long successes() {
      return successes;
    }

    public long failures() {
      return failures;
    }

    /** Dial failures since the last connection. */
    public int failureStreak() {
      return streak;
    }

    /** Whether one of its addresses came from {@code node.directories}. */
    public boolean isDirectory() {
      return addresses.containsValue(Source.DIRECTORY_CONFIG);
    }

    /**
     * Reliability in 0..1 at {@code nowNanos}: the success rate with one success and one failure
     * assumed (so a new peer scores 0.5, not 0 or 1), times a recency factor that halves for each
     * day since it was last connected (or first seen, if never).
     */
    public double reliability(long nowNanos) {
      double rate = (successes + 1.0) / (successes + failures + 2.0);
      long since = lastConnected >= 0 ? lastConnected : firstSeen;
      double days = Math.max(0, nowNanos - since) / 86_400e9;
      return rate * Math.pow(0.5, days);
    }
  }

  private final int maxPeers;
  private final long maxAgeNanos;
  private final PeerId self;
  private final Map<PeerId, Entry> peers = new HashMap<>();
  private long version;
  private long lastIndex = -1;
  private long lastSequence = -1;
  private long timeNanos = Long.MIN_VALUE;
  private long folded;
  private long sequenceGap;

  /** Peers changed or removed since {@link #takeChanges}: what the next save writes. */
  private final Set<PeerId> changed = new HashSet<>();

  private final Set<PeerId> removed = new HashSet<>();

  /**
   * @param self this node's id, never kept as a peer of its own; null when unknown
   * @param maxPeers {@code registry.maxPeers}
   * @param maxAgeNanos {@code registry.maxAge}
   */
  public PeerRegistry(PeerId self, int maxPeers, long maxAgeNanos) {
    this.self = self;
    this.maxPeers = maxPeers;
    this.maxAgeNanos = maxAgeNanos;
  }

  /**
   * Folds every event {@code reader} has from where it stands, then drops the entries not seen for
   * {@code maxAge} before the latest record's time. Records the journal no longer holds between the
   * last one folded and the next one read (retention deleted them) are counted in {@link
   * #sequenceGap()}.
   */
  public PeerRegistry catchUp(JournalReader reader) {
    EventView v = new EventView();
    long index;
    while ((index = reader.next(v)) >= 0) {
      long sequence = v.sequence();
      if (sequence != Event.ABSENT) {
        if (lastSequence >= 0 && sequence > lastSequence + 1) {
          sequenceGap += sequence - lastSequence - 1;
        }
        lastSequence = sequence;
      }
      timeNanos = Math.max(timeNanos, v.timeNanos());
      apply(v);
      lastIndex = index;
      folded++;
    }
    if (timeNanos != Long.MIN_VALUE) {
      prune(timeNanos);
    }
    return this;
  }

  /** The journal index of the last event folded, -1 before any. */
  public long lastIndex() {
    return lastIndex;
  }

  /** The node sequence of the last event folded that had one, -1 before any. */
  long lastSequence() {
    return lastSequence;
  }

  /** The latest event time folded: the registry's own clock; {@code Long.MIN_VALUE} before any. */
  long timeNanos() {
    return timeNanos;
  }

  /** Records read by {@link #catchUp} since this registry was created or loaded. */
  public long folded() {
    return folded;
  }

  /**
   * Records missing between folded ones (by node sequence) since this registry was created or
   * loaded: what retention deleted before the registry folded it.
   */
  public long sequenceGap() {
    return sequenceGap;
  }

  /** Takes over a stored registry's checkpoint ({@link PeerRegistryRows#load}). */
  void restoreCheckpoint(long index, long sequence, long time) {
    this.lastIndex = index;
    this.lastSequence = sequence;
    this.timeNanos = time;
  }

  /** Takes over a stored entry, as it was stored; the bounds are applied by {@link #bound}. */
  void restore(Entry e) {
    peers.put(e.peer, e);
  }

  /**
   * Applies this registry's bounds to what was loaded (the settings may have changed since it was
   * saved): evicts beyond {@code maxPeers} and drops entries too old, as of the registry's time.
   */
  void bound() {
    if (timeNanos != Long.MIN_VALUE) {
      evictBeyondBound(timeNanos);
      prune(timeNanos);
    }
  }

  /**
   * The entries changed and the peers removed since the last call, and forgets them: what a save
   * writes and deletes.
   */
  Changes takeChanges() {
    List<Entry> puts = new ArrayList<>();
    for (PeerId p : changed) {
      Entry e = peers.get(p);
      if (e != null) {
        puts.add(e);
      }
    }
    List<PeerId> gone = new ArrayList<>(removed);
    changed.clear();
    removed.clear();
    return new Changes(puts, gone);
  }

  /** What changed since the last save: live entries (not copies) and removed peers. */
  record Changes(List<Entry> entries, List<PeerId> removed) {}

  private void remove(PeerId peer) {
    if (peers.remove(peer) != null) {
      changed.remove(peer);
      removed.add(peer);
      version++;
    }
  }

  /** Applies one journaled event; types the registry does not read cost a switch. */
  public void apply(EventView v) {
    EventType type = v.type();
    if (type != EventType.PEER_ADDRESS_LEARNED
        && type != EventType.CONNECTION_OPENED
        && type != EventType.CONNECTION_CLOSED
        && type != EventType.DIAL_FAILED) {
      return;
    }
    if (v.peerLength() <= 0) {
      return;
    }
    PeerId peer;
    try {
      peer = PeerId.fromBytes(v.peer());
    } catch (RuntimeException e) {
      return; // a record this fold cannot read is passed over, never an error
    }
    apply(type, v.timeNanos(), peer, v.text());
  }

  /** The fold's step (see the class comment). */
  public void apply(EventType type, long at, PeerId peer, String text) {
    if (peer.equals(self)) { // self may be null (a command reading a journal)
      return;
    }
    Entry e = peers.get(peer);
    if (e != null && at - e.lastSeen > maxAgeNanos) {
      remove(peer); // forgotten before this record, as a prune just before it would have
      e = null;
    }
    if (e == null) {
      if (type == EventType.DIAL_FAILED || type == EventType.CONNECTION_CLOSED) {
        return; // nothing to learn about a peer we never knew
      }
      e = new Entry(peer, at);
      peers.put(peer, e);
      removed.remove(peer);
      evictBeyondBound(at);
      if (!peers.containsKey(peer)) {
        return;
      }
    }
    version++;
    changed.add(peer);
    e.lastSeen = Math.max(e.lastSeen, at);
    switch (type) {
      case PEER_ADDRESS_LEARNED -> learn(e, text);
      case CONNECTION_OPENED -> {
        e.successes++;
        e.streak = 0;
        e.lastConnected = at;
      }
      case DIAL_FAILED -> {
        e.failures++;
        e.streak++;
      }
      default -> {}
    }
  }

  private static void learn(Entry e, String text) {
    if (text == null) {
      return;
    }
    String[] parts = text.trim().split(" +");
    Source source = Source.ofLabel(parts[0]);
    if (source == null) {
      return;
    }
    for (int i = 1; i < parts.length; i++) {
      Multiaddr a;
      try {
        a = Multiaddr.parse(parts[i]).withoutPeerId();
        a.tcpPort();
      } catch (RuntimeException ex) {
        continue; // a transport meshlog does not dial
      }
      Source known = e.addresses.get(a);
      if (known == null
          || (source == Source.DIRECTORY_CONFIG || source == Source.CONFIG)
              && known != Source.DIRECTORY_CONFIG) {
        e.addresses.put(a, source);
      }
    }
    while (e.addresses.size() > MAX_ADDRESSES) {
      Multiaddr oldest = e.addresses.keySet().iterator().next();
      e.addresses.remove(oldest);
    }
  }

  /** Most addresses kept per peer (a peer's identify may list many). */
  static final int MAX_ADDRESSES = 16;

  private void evictBeyondBound(long now) {
    if (peers.size() > maxPeers) {
      prune(now); // the entries a prune at this record's time drops are not there to compete
    }
    while (peers.size() > maxPeers) {
      Entry worst = null;
      for (Entry e : peers.values()) {
        if (e.isDirectory()) {
          continue;
        }
        if (worst == null || WORST_FIRST.apply(now).compare(e, worst) < 0) {
          worst = e;
        }
      }
      if (worst == null) {
        return;
      }
      remove(worst.peer);
    }
  }

  private static final java.util.function.LongFunction<Comparator<Entry>> WORST_FIRST =
      now ->
          Comparator.<Entry>comparingDouble(e -> e.reliability(now))
              .thenComparingLong(e -> e.lastSeen)
              .thenComparing(e -> e.peer.bytes(), Arrays::compareUnsigned);

  /** Drops every entry not seen since {@code nowNanos - maxAge}. */
  public void prune(long nowNanos) {
    List<PeerId> old = new ArrayList<>();
    for (Entry e : peers.values()) {
      if (nowNanos - e.lastSeen > maxAgeNanos) {
        old.add(e.peer);
      }
    }
    for (PeerId p : old) {
      remove(p);
    }
  }

  /** Snapshots of every entry, most reliable first (ties: most recently seen first). */
  public List<Entry> entries(long nowNanos) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : peers.values()) {
      out.add(e.copy());
    }
    out.sort(WORST_FIRST.apply(nowNanos).reversed());
    return out;
  }

  /** The entry of {@code peer}, or null; live, not a copy: do not keep it. */
  Entry get(PeerId peer) {
    return peers.get(peer);
  }

  /** Whether {@code address} is already known for {@code peer} (any source). */
  public boolean knows(PeerId peer, Multiaddr address) {
    Entry e = peers.get(peer);
    return e != null && e.addresses.containsKey(address.withoutPeerId());
  }

  /** The remembered directories, each as a dialable address with {@code /p2p/<id>}. */
  public List<Multiaddr> directories() {
    List<Multiaddr> out = new ArrayList<>();
    for (Entry e : peers.values()) {
      for (Map.Entry<Multiaddr, Source> a : e.addresses.entrySet()) {
        if (a.getValue() == Source.DIRECTORY_CONFIG) {
          out.add(a.getKey().withPeerId(e.peer));
        }
      }
    }
    return out;
  }

  public int size() {
    return peers.size();
  }

  /** Rises with every change, so a reader can tell whether a snapshot is stale. */
  public long version() {
    return version;
  }

  /** The text of a PEER_ADDRESS_LEARNED record: the source's label, then the addresses. */
  public static String learnedText(Source source, List<Multiaddr> addresses) {
    StringBuilder sb = new StringBuilder(source.label());
    for (Multiaddr a : addresses) {
      sb.append(' ').append(a.withoutPeerId());
    }
    return sb.toString();
  }
}
