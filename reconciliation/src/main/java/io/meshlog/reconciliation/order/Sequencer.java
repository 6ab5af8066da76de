package io.meshlog.reconciliation.order;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequencer's state machine: gives each message of a topic its final position (epoch, seq) in
 * arrival order, with the Lamport hold-back rule of {@code docs/reconciliation.md}:
 *
 * <ol>
 *   <li>A submitted message is <em>held</em> for the hold-back window ({@code
 *       reconciliation.holdBack}) before it is final. Held messages keep arrival order.
 *   <li>A message whose Lamport time is below the highest Lamport time already final in its topic
 *       (a <em>late</em> message: it can no longer go before those) is placed by Lamport among the
 *       held ones: just before the first held message that comes after it in provisional order
 *       (Lamport, origin, seqno, id); at the end when there is none.
 *   <li>{@link #release} makes final, in held order, every held message up to and including the
 *       last one whose window has passed; a late message placed before such a message becomes final
 *       with it, even if its own window has not passed.
 * </ol>
 *
 * <p>A message already final keeps its position whatever is submitted afterwards (resubmission is
 * idempotent), and positions are never given twice: the seq of a topic keeps increasing across
 * epochs. A restarted sequencer takes a new epoch (above every journaled one) and is {@link
 * #restore restored} from its journaled assignments before it takes submissions; held messages are
 * not journaled and are simply submitted again by nodes that do not see them confirmed.
 *
 * <p>Messages whose Lamport time jumps more than the {@link ClockBound} above the highest Lamport
 * time final in the topic are rejected. A plain message (no Lamport time) is never late and never
 * rejected: it is sequenced by arrival.
 *
 * <p>Time is data: every call takes the caller's "now" in ns; a time earlier than one seen before
 * counts as the latest seen. Not thread-safe: owned by one thread.
 */
public final class Sequencer {

  /** What {@link #submit} did with a message. */
  public enum Outcome {
    /** Newly held; it becomes final in a later {@link #release}. */
    HELD,
    /** Already held from an earlier submission: nothing changed. */
    ALREADY_HELD,
    /** Already final: nothing changed; {@link #positionOf} gives its position. */
    ALREADY_FINAL,
    /** Rejected by the clock bound. */
    REJECTED_CLOCK
  }

  private record Held(OrderedMessage message, long deadline) {}

  private static final class Topic {
    final Map<MessageKey, FinalPosition> finals = new HashMap<>();
    final ArrayList<Held> held = new ArrayList<>();
    final Set<MessageKey> heldIds = new HashSet<>();
    long nextSeq;
    long highestFinalLamport = ClockBound.NO_REFERENCE;
  }

  private final long epoch;
  private final long holdBackNanos;
  private final ClockBound bound;
  private final Map<String, Topic> topics = new HashMap<>();
  private long now = Long.MIN_VALUE;
  private int heldTotal;

  /**
   * @param epoch this start's epoch, above every epoch journaled before ({@link #nextEpoch})
   * @param holdBackNanos the hold-back window in ns, >= 0 (0: final on the next release)
   * @param bound the Lamport clock bound
   * @throws IllegalArgumentException when epoch < 1 or holdBackNanos < 0
   */
  public Sequencer(long epoch, long holdBackNanos, ClockBound bound) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
    }
    if (holdBackNanos < 0) {
      throw new IllegalArgumentException("hold-back must be >= 0 ns, was " + holdBackNanos);
    }
    this.epoch = epoch;
    this.holdBackNanos = holdBackNanos;
    this.bound = bound;
  }

  /** The epoch of a sequencer starting after one whose highest journaled epoch was {@code last}. */
  public static long nextEpoch(long highestJournaledEpoch) {
    return Math.max(0, highestJournaledEpoch) + 1;
  }

  public long epoch() {
    return epoch;
  }

  /**
   * Takes back an assignment journaled before this start (as read from the journal), so that it is
   * never given again and a resubmission of its message is answered with it.
   *
   * @throws IllegalArgumentException when the assignment is of this or a later epoch, or its
   *     position or message is already restored differently
   */
  public void restore(Assignment a) {
    if (a.position().epoch() >= epoch) {
      throw new IllegalArgumentException(
          "journaled epoch " + a.position().epoch() + " is not below this start's " + epoch);
    }
    Topic t = topic(a.message().topic());
    FinalPosition before = t.finals.putIfAbsent(a.message().id(), a.position());
    if (before != null && !before.equals(a.position())) {
      throw new IllegalArgumentException(
          "message " + a.message().id() + " journaled at " + before + " and " + a.position());
    }
    t.nextSeq = Math.max(t.nextSeq, a.position().seq() + 1);
    if (a.message().hasLamport()) {
      t.highestFinalLamport = Math.max(t.highestFinalLamport, a.message().lamport());
    }
  }

  /** Submits a message seen by gossip or resubmitted by a node; see the class comment. */
  public Outcome submit(OrderedMessage m, long nowNanos) {
    advance(nowNanos);
    Topic t = topic(m.topic());
    if (t.finals.containsKey(m.id())) {
      return Outcome.ALREADY_FINAL;
    }
    if (t.heldIds.contains(m.id())) {
      return Outcome.ALREADY_HELD;
    }
    if (!bound.accepts(m.lamport(), t.highestFinalLamport)) {
      return Outcome.REJECTED_CLOCK;
    }
    Held h = new Held(m, saturatedAdd(now, holdBackNanos));
    boolean late = m.hasLamport() && m.lamport() < t.highestFinalLamport;
    int at = t.held.size();
    if (late) {
      for (int i = 0; i < t.held.size(); i++) {
        if (OrderedMessage.PROVISIONAL.compare(t.held.get(i).message(), m) > 0) {
          at = i;
          break;
        }
      }
    }
    t.held.add(at, h);
    t.heldIds.add(m.id());
    heldTotal++;
    return Outcome.HELD;
  }

  /**
   * Makes final what is due at {@code nowNanos}: per topic, every held message up to the last one
   * whose window has passed. The caller journals them, in the order returned, before it confirms
   * any.
   */
  public List<Assignment> release(long nowNanos) {
    advance(nowNanos);
    List<Assignment> out = new ArrayList<>();
    if (heldTotal == 0) {
      return out;
    }
    for (Map.Entry<String, Topic> e : topics.entrySet()) {
      Topic t = e.getValue();
      int cut = -1;
      for (int i = t.held.size() - 1; i >= 0; i--) {
        if (t.held.get(i).deadline() <= now) {
          cut = i;
          break;
        }
      }
      for (int i = 0; i <= cut; i++) {
        OrderedMessage m = t.held.get(i).message();
        FinalPosition p = new FinalPosition(epoch, t.nextSeq++);
        t.finals.put(m.id(), p);
        t.heldIds.remove(m.id());
        if (m.hasLamport()) {
          t.highestFinalLamport = Math.max(t.highestFinalLamport, m.lamport());
        }
        out.add(new Assignment(m, p));
      }
      if (cut >= 0) {
        t.held.subList(0, cut + 1).clear();
        heldTotal -= cut + 1;
      }
    }
    return out;
  }

  /** The earliest time at which {@link #release} has something to do; MAX_VALUE when nothing. */
  public long nextDeadline() {
    long d = Long.MAX_VALUE;
    for (Topic t : topics.values()) {
      for (Held h : t.held) {
        d = Math.min(d, h.deadline());
      }
    }
    return d;
  }

  /** The final position of a message, or null when it is not final (yet). */
  public FinalPosition positionOf(String topic, MessageKey id) {
    Topic t = topics.get(topic);
    return t == null ? null : t.finals.get(id);
  }

  /** The highest Lamport time final in {@code topic}, or {@link ClockBound#NO_REFERENCE}. */
  public long highestFinalLamport(String topic) {
    Topic t = topics.get(topic);
    return t == null ? ClockBound.NO_REFERENCE : t.highestFinalLamport;
  }

  /** The seq the next final message of {@code topic} gets. */
  public long nextSeq(String topic) {
    Topic t = topics.get(topic);
    return t == null ? 0 : t.nextSeq;
  }

  /** Messages held over all topics. */
  public int heldCount() {
    return heldTotal;
  }

  private Topic topic(String name) {
    return topics.computeIfAbsent(name, k -> new Topic());
  }

  private void advance(long nowNanos) {
    now = Math.max(now, nowNanos);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
