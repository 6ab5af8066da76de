package io.meshlog.reconciliation.order;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node's order of one topic: final rows by (epoch, seq), then provisional rows by (Lamport,
 * origin, seqno). A message comes in provisional ({@link #deliver}) and becomes final when a
 * verified confirmation is {@link #confirm applied}; a final row never moves again and a
 * confirmation that contradicts one is refused.
 *
 * <p>A confirmation may come before the message itself (the node missed it, or gossip is slower
 * than the sequencer): it is kept, and the message becomes final as soon as it is delivered.
 *
 * <p>Not thread-safe: owned by one thread.
 */
public final class TopicOrder {

  /** What {@link #confirm} did. */
  public enum Applied {
    /** The message became final; {@link #lastReorder()} says whether its row moved. */
    FINAL,
    /** The same position was already applied: nothing changed. */
    ALREADY,
    /** The message is not here yet: the position is kept for when it comes. */
    AWAITING_MESSAGE,
    /** Refused: the message or the position is already final with something else. */
    CONFLICT
  }

  private final String topic;
  private final TreeMap<FinalPosition, OrderRow> finals = new TreeMap<>();
  private final TreeSet<OrderedMessage> provisional = new TreeSet<>(OrderedMessage.PROVISIONAL);

  /** The same keys as {@link #finals} and {@link #provisional}, for a row number in O(log n). */
  private final RankedSet<FinalPosition> finalRanks = new RankedSet<>(Comparator.naturalOrder());

  private final RankedSet<OrderedMessage> provisionalRanks =
      new RankedSet<>(OrderedMessage.PROVISIONAL);

  /** Arrival time → provisional messages that arrived then: the oldest without a scan. */
  private final java.util.TreeMap<Long, Integer> provisionalArrivals = new java.util.TreeMap<>();

  private final Map<MessageKey, OrderRow> rows = new HashMap<>();
  private final Map<MessageKey, FinalPosition> awaiting = new HashMap<>();
  private final Map<FinalPosition, MessageKey> taken = new HashMap<>();
  private long highestConfirmedLamport = ClockBound.NO_REFERENCE;
  private long reorders;
  private Reorder lastReorder;

  public TopicOrder(String topic) {
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /**
   * Adds a message this node delivered or published; a repeat is ignored.
   *
   * @return true when added (final at once when its confirmation came first)
   * @throws IllegalArgumentException when the message is of another topic
   */
  public boolean deliver(OrderedMessage m, long arrivalNanos) {
    if (!m.topic().equals(topic)) {
      throw new IllegalArgumentException("message of " + m.topic() + " given to " + topic);
    }
    if (rows.containsKey(m.id())) {
      return false;
    }
    FinalPosition p = awaiting.remove(m.id());
    OrderRow row = new OrderRow(m, p, arrivalNanos);
    rows.put(m.id(), row);
    if (p != null) {
      finals.put(p, row);
      finalRanks.add(p);
      noteLamport(m);
    } else {
      provisional.add(m);
      provisionalRanks.add(m);
      provisionalArrivals.merge(arrivalNanos, 1, Integer::sum);
    }
    return true;
  }

  /**
   * Applies a final position from a verified confirmation.
   *
   * @return what happened; on {@link Applied#FINAL} {@link #lastReorder()} is the move, or null
   *     when the row stayed where it was
   */
  public Applied confirm(MessageKey id, FinalPosition p) {
    lastReorder = null;
    MessageKey holder = taken.get(p);
    if (holder != null && !holder.equals(id)) {
      return Applied.CONFLICT;
    }
    OrderRow row = rows.get(id);
    if (row == null) {
      FinalPosition before = awaiting.putIfAbsent(id, p);
      if (before != null && !before.equals(p)) {
        return Applied.CONFLICT;
      }
      taken.put(p, id);
      return Applied.AWAITING_MESSAGE;
    }
    if (row.isFinal()) {
      return row.position().equals(p) ? Applied.ALREADY : Applied.CONFLICT;
    }
    long oldRow = rowOf(row);
    provisional.remove(row.message());
    provisionalRanks.remove(row.message());
    provisionalArrivals.computeIfPresent(row.arrivalNanos(), (t, n) -> n == 1 ? null : n - 1);
    OrderRow done = new OrderRow(row.message(), p, row.arrivalNanos());
    rows.put(id, done);
    finals.put(p, done);
    finalRanks.add(p);
    taken.put(p, id);
    noteLamport(row.message());
    long newRow = rowOf(done);
    if (newRow != oldRow) {
      reorders++;
      lastReorder = new Reorder(row.message(), p, oldRow, newRow);
    }
    return Applied.FINAL;
  }

  /** The move of the last {@link #confirm} that returned FINAL, or null when nothing moved. */
  public Reorder lastReorder() {
    return lastReorder;
  }

  /** The 0-based row of a message, or -1 when it is not here. */
  public long rowOf(MessageKey id) {
    OrderRow row = rows.get(id);
    return row == null ? -1 : rowOf(row);
  }

  private long rowOf(OrderRow row) {
    if (row.isFinal()) {
      return finalRanks.rank(row.position());
    }
    return finals.size() + provisionalRanks.rank(row.message());
  }

  /** Every row: final ones by (epoch, seq), then provisional ones by (Lamport, origin, seqno). */
  public List<OrderRow> rows() {
    List<OrderRow> out = new ArrayList<>(rows.size());
    out.addAll(finals.values());
    for (OrderedMessage m : provisional) {
      out.add(rows.get(m.id()));
    }
    return out;
  }

  /** The provisional messages, in provisional order: what is submitted after an outage. */
  public List<OrderedMessage> unconfirmed() {
    return new ArrayList<>(provisional);
  }

  public int unconfirmedCount() {
    return provisional.size();
  }

  /** The earliest arrival time of a provisional message, or -1 when none is. */
  public long oldestUnconfirmedNanos() {
    return provisionalArrivals.isEmpty() ? -1 : provisionalArrivals.firstKey();
  }

  /** The highest final position here, or null. */
  public FinalPosition lastFinal() {
    return finals.isEmpty() ? null : finals.lastKey();
  }

  /** The reference of the clock bound: the highest Lamport time confirmed here, or -1. */
  public long highestConfirmedLamport() {
    return highestConfirmedLamport;
  }

  /** Confirmations applied that moved a row, since this order was built. */
  public long reorders() {
    return reorders;
  }

  /** The final position of a message, or null. */
  public FinalPosition positionOf(MessageKey id) {
    OrderRow row = rows.get(id);
    return row != null ? row.position() : awaiting.get(id);
  }

  private void noteLamport(OrderedMessage m) {
    if (m.hasLamport()) {
      highestConfirmedLamport = Math.max(highestConfirmedLamport, m.lamport());
    }
  }
}
