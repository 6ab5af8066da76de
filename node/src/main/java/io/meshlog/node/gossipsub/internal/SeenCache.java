package io.meshlog.node.gossipsub.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen within the last TTL, bounded in size: when full, the oldest id is forgotten
 * early (counted by the caller through {@link #add}'s result). Insertion order equals expiry order
 * because the TTL is fixed. Not thread-safe; owned by the router thread.
 */
final class SeenCache {
  /** Result of {@link #add}. */
  enum AddResult {
    NEW,
    NEW_EVICTED_OLDEST,
    ALREADY_SEEN
  }

  private final LinkedHashMap<MessageId, Long> expiries = new LinkedHashMap<>();
  private final long ttlNanos;
  private final int capacity;

  SeenCache(long ttlNanos, int capacity) {
    this.ttlNanos = ttlNanos;
    this.capacity = capacity;
  }

  boolean contains(MessageId id) {
    return expiries.containsKey(id);
  }

  AddResult add(MessageId id, long now) {
    if (expiries.containsKey(id)) {
      return AddResult.ALREADY_SEEN;
    }
    boolean evicted = false;
    if (expiries.size() >= capacity) {
      Iterator<MessageId> it = expiries.keySet().iterator();
      it.next();
      it.remove();
      evicted = true;
    }
    expiries.put(id, now + ttlNanos);
    return evicted ? AddResult.NEW_EVICTED_OLDEST : AddResult.NEW;
  }

  /** Forgets ids whose TTL has passed. */
  void expire(long now) {
    Iterator<Map.Entry<MessageId, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= now) {
      it.remove();
    }
  }

  int size() {
    return expiries.size();
  }
}
