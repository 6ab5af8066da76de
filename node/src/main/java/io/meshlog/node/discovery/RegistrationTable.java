package io.meshlog.node.discovery;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.node.p2p.InvalidRecordException;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A directory's registrations: per namespace, per peer, the latest accepted one. Time is data:
 * every method that needs "now" takes it, so the same table is rebuilt from the journal ({@link
 * #replay}) as the running directory built it, and {@code meshlog directory peers} reads a stopped
 * directory's journal the same way.
 *
 * <pre>
 *   DIRECTORY_REGISTERED   ─► put (peer, topic) = record, registered at event time, TTL = value
 *   DIRECTORY_UNREGISTERED ─► remove (peer, topic)
 *   expiry                 ─► computed from the event time; lapsed rows are dropped on read
 * </pre>
 *
 * <p>Not thread-safe: its owner serializes access.
 */
public final class RegistrationTable {

  private final Map<String, Map<PeerId, Registration>> byTopic = new TreeMap<>();
  private final Map<PeerId, Integer> perPeer = new HashMap<>();
  private int total;
  private long lastNumber;

  /**
   * Rebuilds the table from a journal: every DIRECTORY_REGISTERED and DIRECTORY_UNREGISTERED in
   * order, then drops what lapsed before {@code nowNanos}. Reads until the reader has no further
   * event.
   */
  public static RegistrationTable replay(JournalReader reader, long nowNanos) {
    RegistrationTable table = new RegistrationTable();
    Event e = new Event();
    while (reader.next(e) >= 0) {
      table.apply(e);
    }
    table.expire(nowNanos);
    return table;
  }

  /** Applies one journaled event; other types are ignored. */
  public void apply(Event e) {
    if (e.type() == EventType.DIRECTORY_REGISTERED && e.data() != null && e.topic() != null) {
      PeerRecord record;
      try {
        record = PeerRecord.open(e.data());
      } catch (InvalidRecordException ex) {
        return; // journaled only after this check passed; a damaged record is left out
      }
      long at = e.timeNanos();
      put(
          new Registration(
              record.peerId(),
              e.topic(),
              record.addresses(),
              at,
              at + e.value() * 1_000_000_000L,
              e.originSeqno(),
              e.data()));
    } else if (e.type() == EventType.DIRECTORY_UNREGISTERED
        && e.peer() != null
        && e.topic() != null) {
      try {
        remove(PeerId.fromBytes(e.peer()), e.topic());
      } catch (IllegalArgumentException ex) {
        // not a peer id: nothing of ours to remove
      }
    }
  }

  /** Adds or replaces the registration of its (peer, topic). */
  public void put(Registration r) {
    Map<PeerId, Registration> topic =
        byTopic.computeIfAbsent(r.topic(), t -> new LinkedHashMap<>());
    Registration old = topic.remove(r.peer());
    if (old == null) {
      perPeer.merge(r.peer(), 1, Integer::sum);
      total++;
    }
    topic.put(r.peer(), r);
    lastNumber = Math.max(lastNumber, r.number());
  }

  /** Removes the registration of {@code peer} in {@code topic}; returns it, or null. */
  public Registration remove(PeerId peer, String topic) {
    Map<PeerId, Registration> rows = byTopic.get(topic);
    Registration old = rows == null ? null : rows.remove(peer);
    if (old != null) {
      total--;
      perPeer.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
      if (rows.isEmpty()) {
        byTopic.remove(topic);
      }
    }
    return old;
  }

  /** Removes and returns every registration that lapsed at or before {@code nowNanos}. */
  public List<Registration> expire(long nowNanos) {
    List<Registration> lapsed = new ArrayList<>();
    for (Map<PeerId, Registration> rows : byTopic.values()) {
      for (Registration r : rows.values()) {
        if (r.expiresAtNanos() <= nowNanos) {
          lapsed.add(r);
        }
      }
    }
    for (Registration r : lapsed) {
      remove(r.peer(), r.topic());
    }
    return lapsed;
  }

  /** The registration of {@code peer} in {@code topic}, or null. */
  public Registration get(PeerId peer, String topic) {
    Map<PeerId, Registration> rows = byTopic.get(topic);
    return rows == null ? null : rows.get(peer);
  }

  /**
   * Live registrations in {@code topic} (every topic when null) numbered above {@code after},
   * lowest number first, at most {@code limit}.
   */
  public List<Registration> find(String topic, long after, int limit, long nowNanos) {
    List<Registration> out = new ArrayList<>();
    for (Map.Entry<String, Map<PeerId, Registration>> t : byTopic.entrySet()) {
      if (topic != null && !topic.equals(t.getKey())) {
        continue;
      }
      for (Registration r : t.getValue().values()) {
        if (r.number() > after && r.expiresAtNanos() > nowNanos) {
          out.add(r);
        }
      }
    }
    out.sort(Comparator.comparingLong(Registration::number));
    return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
  }

  /** Every registration in {@code topic}, live or not yet swept, in registration order. */
  public List<Registration> topic(String topic) {
    Map<PeerId, Registration> rows = byTopic.get(topic);
    return rows == null ? List.of() : List.copyOf(rows.values());
  }

  /** The topics with at least one registration, sorted. */
  public List<String> topics() {
    return List.copyOf(byTopic.keySet());
  }

  /** Registrations held by {@code peer}. */
  public int countOf(PeerId peer) {
    return perPeer.getOrDefault(peer, 0);
  }

  /** Registrations in {@code topic}. */
  public int countIn(String topic) {
    Map<PeerId, Registration> rows = byTopic.get(topic);
    return rows == null ? 0 : rows.size();
  }

  public int size() {
    return total;
  }

  /** The highest registration number seen; the next one is larger. */
  public long lastNumber() {
    return lastNumber;
  }
}
