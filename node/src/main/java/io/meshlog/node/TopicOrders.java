package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderRow;
import io.meshlog.reconciliation.order.OrderedMessage;
import io.meshlog.reconciliation.order.Reorder;
import io.meshlog.reconciliation.order.TopicOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's order of every topic, fed from its own journal: PUBLISH_MESSAGE and DELIVER_MESSAGE
 * add provisional rows, SEQUENCE_ASSIGNED (the sequencer's own, or a verified confirmation a node
 * journaled) makes them final. A final position that moves a row is journaled as REORDER_APPLIED
 * with the old and the new row.
 *
 * <pre>
 *   start:  journal reader ─► rebuild (no events journaled)
 *   run:    journal ─(gated)─► onJournaled ─► TopicOrder.confirm ─► reorder? ─► journaling thread
 * </pre>
 *
 * <p>REORDER_APPLIED is published from a thread of its own: a gated handler that waited for ring
 * space would wait for itself. Thread-safe: every method locks this object.
 */
final class TopicOrders implements JournaledEventHandler, AutoCloseable {

  private final Map<String, TopicOrder> topics = new TreeMap<>();

  /** Per topic, the highest Lamport time confirmed; read without the lock (router thread). */
  private final Map<String, Long> confirmedLamport = new ConcurrentHashMap<>();

  private volatile EventSink sink = EventSink.NOOP;
  private final ExecutorService journaling;
  private final AtomicLong conflicts = new AtomicLong();

  /**
   * Per topic, the directory whose confirmations this node applies: the first one it journaled a
   * SEQUENCE_ASSIGNED of for the topic (that record's peer), kept across restarts by the rebuild. A
   * directory's own assignments name no peer and claim nothing here.
   */
  private final Map<String, PeerId> sequencers = new TreeMap<>();

  private volatile FinalGapListener finalGapListener = topic -> {};

  /**
   * Told, on the journal's thread, when a live confirmation shows this node lacks part of a topic's
   * final order: it names a message this node does not hold, or its seq is more than one above the
   * highest final seq so far. Must not block.
   */
  interface FinalGapListener {
    void lacking(String topic);
  }

  TopicOrders() {
    this.journaling =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-reorders");
              t.setDaemon(true);
              return t;
            });
  }

  /** Where reorders are journaled: the node's sink, once the journal is open. */
  void sink(EventSink sink) {
    this.sink = sink;
  }

  /** Applies every event of the journal so far, journaling nothing. */
  synchronized void rebuild(JournalReader reader) {
    Event e = new Event();
    while (reader.next(e) >= 0) {
      apply(e, false);
    }
  }

  void onFinalGap(FinalGapListener listener) {
    this.finalGapListener = listener;
  }

  @Override
  public synchronized void onJournaled(Event event, long journalIndex, boolean endOfBatch) {
    apply(event, true);
  }

  private void apply(Event e, boolean live) {
    EventType type = e.type();
    if (type == null || e.topic() == null || e.messageId() == null) {
      return;
    }
    if (SequencerWire.isControlTopic(e.topic())) {
      return;
    }
    switch (type) {
      case PUBLISH_MESSAGE, DELIVER_MESSAGE -> topic(e.topic()).deliver(message(e), e.timeNanos());
      case SEQUENCE_ASSIGNED -> {
        if (e.epoch() == Event.ABSENT || e.finalSeq() == Event.ABSENT) {
          return; // a schema 2 record: no epoch, not ours to apply
        }
        if (e.peer() != null) {
          sequencers.putIfAbsent(e.topic(), PeerId.fromBytes(e.peer()));
        }
        TopicOrder order = topic(e.topic());
        FinalPosition before = order.lastFinal();
        TopicOrder.Applied applied =
            order.confirm(MessageKey.of(e.messageId()), new FinalPosition(e.epoch(), e.finalSeq()));
        if (applied == TopicOrder.Applied.CONFLICT) {
          conflicts.incrementAndGet();
        }
        if (live
            && (applied == TopicOrder.Applied.AWAITING_MESSAGE
                || e.finalSeq() > (before == null ? -1 : before.seq()) + 1)) {
          finalGapListener.lacking(e.topic());
        }
        long confirmed = Math.max(order.highestConfirmedLamport(), e.lamport());
        if (confirmed >= 0) {
          confirmedLamport.merge(e.topic(), confirmed, Math::max);
        }
        Reorder r = order.lastReorder();
        if (live && r != null) {
          journaling.execute(() -> journal(r, e.timeNanos()));
        }
      }
      default -> {}
    }
  }

  private void journal(Reorder r, long timeNanos) {
    OrderedMessage m = r.message();
    Event e =
        new Event()
            .type(EventType.REORDER_APPLIED)
            .timeNanos(timeNanos)
            .topic(m.topic())
            .messageId(m.id().bytes())
            .epoch(r.position().epoch())
            .finalSeq(r.position().seq())
            .oldPosition(r.oldRow())
            .newPosition(r.newRow());
    if (m.hasLamport()) {
      e.lamport(m.lamport());
    }
    if (m.origin().length > 0) {
      e.origin(m.origin());
    }
    if (m.originSeqno() != OrderedMessage.ABSENT) {
      e.originSeqno(m.originSeqno());
    }
    try {
      sink.publish(e);
    } catch (IllegalStateException closed) {
      // The journal closed under us (node stopping): the reorder is derivable from the journal.
    }
  }

  static OrderedMessage message(Event e) {
    return new OrderedMessage(
        e.topic(),
        MessageKey.of(e.messageId()),
        e.lamport() == Event.ABSENT ? OrderedMessage.ABSENT : e.lamport(),
        e.origin() == null ? null : e.origin().clone(),
        e.originSeqno() == Event.ABSENT ? OrderedMessage.ABSENT : e.originSeqno());
  }

  private TopicOrder topic(String name) {
    return topics.computeIfAbsent(name, TopicOrder::new);
  }

  /**
   * The highest Lamport time confirmed by a sequencer in {@code topic}, or {@link
   * io.meshlog.reconciliation.order.ClockBound#NO_REFERENCE}: the reference of the clock bound.
   * Never blocks.
   */
  long highestConfirmedLamport(String topic) {
    Long l = confirmedLamport.get(topic);
    return l == null ? io.meshlog.reconciliation.order.ClockBound.NO_REFERENCE : l;
  }

  /** The final position of a message, or null. */
  synchronized FinalPosition positionOf(String topic, MessageKey id) {
    TopicOrder t = topics.get(topic);
    return t == null ? null : t.positionOf(id);
  }

  /** Unconfirmed messages of every topic that arrived at or before {@code arrivedBy} (ns). */
  synchronized List<OrderedMessage> unconfirmed(long arrivedBy) {
    List<OrderedMessage> out = new ArrayList<>();
    for (TopicOrder t : topics.values()) {
      for (OrderRow row : t.rows()) {
        if (!row.isFinal() && row.arrivalNanos() <= arrivedBy) {
          out.add(row.message());
        }
      }
    }
    return out;
  }

  /** A snapshot of one topic's rows (final first), or an empty list. */
  synchronized List<OrderRow> rows(String topic) {
    TopicOrder t = topics.get(topic);
    return t == null ? List.of() : t.rows();
  }

  /** The topics seen so far. */
  synchronized List<String> topics() {
    return new ArrayList<>(topics.keySet());
  }

  /** Per-topic figures for JMX. */
  record Stats(
      String topic,
      long lastFinalSeq,
      long epoch,
      int unconfirmed,
      long oldestUnconfirmedNanos,
      long reorders) {}

  synchronized List<Stats> stats() {
    List<Stats> out = new ArrayList<>();
    for (TopicOrder t : topics.values()) {
      out.add(stats(t));
    }
    return out;
  }

  /** One topic's figures, empty when this node keeps no order of it. */
  synchronized java.util.Optional<Stats> stats(String topic) {
    TopicOrder t = topics.get(topic);
    return t == null ? java.util.Optional.empty() : java.util.Optional.of(stats(t));
  }

  private static Stats stats(TopicOrder t) {
    FinalPosition last = t.lastFinal();
    return new Stats(
        t.topic(),
        last == null ? -1 : last.seq(),
        last == null ? -1 : last.epoch(),
        t.unconfirmedCount(),
        t.oldestUnconfirmedNanos(),
        t.reorders());
  }

  /**
   * The sequencer of {@code topic}: the directory that claimed it first; {@code directory} claims
   * it now when no one has yet and it is the node's {@code preferred} sequencer. Only the
   * sequencer's confirmations of the topic are applied, so that two directories that both sequence
   * it cannot give one message two final positions on different nodes.
   *
   * @return the topic's sequencer, or null while it has none
   */
  synchronized PeerId claimSequencer(String topic, PeerId directory, PeerId preferred) {
    PeerId sequencer = sequencers.get(topic);
    if (sequencer == null && directory.equals(preferred)) {
      sequencers.put(topic, directory);
      return directory;
    }
    return sequencer;
  }

  /** Confirmations refused because they contradicted a final row. */
  long conflicts() {
    return conflicts.get();
  }

  @Override
  public void close() {
    journaling.shutdown();
    try {
      journaling.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
