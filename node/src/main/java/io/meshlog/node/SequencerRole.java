package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.TopicValidator;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.ClockBound;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.OrderedMessage;
import io.meshlog.reconciliation.order.Sequencer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's sequencer: sequences the topics it has registrations for.
 *
 * <pre>
 *   start:   journal ─► highest epoch (SEQUENCER_STARTED, own SEQUENCE_ASSIGNED) + own assignments
 *            ─► Sequencer(epoch + 1).restore(...) ─► journal SEQUENCER_STARTED(epoch)
 *   input:   DELIVER_MESSAGE of a sequenced topic, as journaled (arrival = journal order)
 *            submissions from nodes on the submit control topic
 *   tick:    release(now) ─► journal SEQUENCE_ASSIGNED (no peer: our own)
 *   confirm: the journal handler sees our SEQUENCE_ASSIGNED journaled ─► at end of batch one
 *            signed confirmation per 500 ─► gossip on the confirm control topic
 * </pre>
 *
 * <p>Crash safety: a confirmation is sent only for an assignment the journal has accepted (the
 * handler is gated behind the journal), so kill -9 never confirms a seq the restarted sequencer
 * does not know. Messages held when it dies are not journaled and come back as submissions.
 *
 * <p>The state machine is owned by one thread ({@code meshlog-sequencer}); the journal handler's
 * thread only hands work to it and sends confirmations.
 */
final class SequencerRole implements JournaledEventHandler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SequencerRole.class);

  private final Identity identity;
  private volatile EventSink sink = EventSink.NOOP;
  private final long holdBackNanos;
  private final ClockBound bound;
  private final LongSupplier clock;
  private final ScheduledExecutorService thread;
  private final List<Assignment> toConfirm = new ArrayList<>();
  private final Set<String> sequenced = new HashSet<>(); // owned by the sequencer thread
  private volatile Set<String> sequencedView = Set.of();
  private volatile Gossipsub gossip;
  private volatile Supplier<List<String>> registeredTopics = List::of;
  private volatile TopicValidator validator; // each sequenced topic's, as at every node
  private Sequencer sequencer; // owned by the sequencer thread after start
  private final AtomicLong finalized = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong confirmationsSent = new AtomicLong();
  private final AtomicLong secondSequencerConfirmations = new AtomicLong();
  private final Set<String> secondSequencers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  SequencerRole(Identity identity, ReconciliationConfig config, LongSupplier clock) {
    this.identity = identity;
    this.holdBackNanos = config.holdBack().toNanos();
    this.bound = new ClockBound(config.maxLamportJump());
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-sequencer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Rebuilds from the journal, takes a new epoch, journals SEQUENCER_STARTED and starts the ticks.
   */
  void start(
      EventSink sink,
      JournalReader reader,
      Gossipsub gossip,
      Supplier<List<String>> topics,
      TopicValidator validator) {
    this.sink = sink;
    this.validator = validator;
    long highestEpoch = 0;
    List<Assignment> own = new ArrayList<>();
    Event e = new Event();
    while (reader.next(e) >= 0) {
      if (e.type() == EventType.SEQUENCER_STARTED && e.epoch() != Event.ABSENT) {
        highestEpoch = Math.max(highestEpoch, e.epoch());
      } else if (e.type() == EventType.SEQUENCE_ASSIGNED
          && e.peer() == null
          && e.epoch() != Event.ABSENT
          && e.finalSeq() != Event.ABSENT
          && e.messageId() != null
          && e.topic() != null) {
        highestEpoch = Math.max(highestEpoch, e.epoch());
        own.add(new Assignment(TopicOrders.message(e), new FinalPosition(e.epoch(), e.finalSeq())));
      }
    }
    Sequencer s = new Sequencer(Sequencer.nextEpoch(highestEpoch), holdBackNanos, bound);
    own.forEach(s::restore);
    sink.publish(
        new Event()
            .type(EventType.SEQUENCER_STARTED)
            .timeNanos(clock.getAsLong())
            .epoch(s.epoch())
            .value(own.size()));
    this.gossip = gossip;
    this.registeredTopics = topics;
    this.sequencer = s;
    gossip.subscribe(SequencerWire.SUBMIT_TOPIC);
    gossip.subscribe(SequencerWire.CONFIRM_TOPIC);
    long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(5), holdBackNanos / 4);
    thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    thread.scheduleWithFixedDelay(this::followRegistrations, 0, 500, TimeUnit.MILLISECONDS);
    LOG.info("sequencer started at epoch {} with {} journaled assignments", s.epoch(), own.size());
  }

  long epoch() {
    Sequencer s = sequencer;
    return s == null ? -1 : s.epoch();
  }

  long finalized() {
    return finalized.get();
  }

  long rejected() {
    return rejected.get();
  }

  long confirmationsSent() {
    return confirmationsSent.get();
  }

  /** Confirmations of topics this directory sequences that another directory signed. */
  long secondSequencerConfirmations() {
    return secondSequencerConfirmations.get();
  }

  /**
   * A confirmation seen on the confirm topic. Signed by another directory (the signature checked
   * against its own key) for a topic this one sequences, it shows a second sequencer of the topic:
   * counted, and journaled once per topic and directory as INPUT_REJECTED. Its positions are never
   * applied here; nodes take one sequencer per topic (docs/reconciliation.md).
   */
  void confirmedElsewhere(byte[] data) {
    var verified = SequencerWire.verifyAnyConfirm(data);
    if (verified.isEmpty() || verified.get().signer().equals(identity.peerId())) {
      return;
    }
    io.meshlog.node.p2p.PeerId other = verified.get().signer();
    Set<String> mine = sequencedView;
    for (Assignment a : verified.get().assignments()) {
      String topic = a.message().topic();
      if (!mine.contains(topic)) {
        continue;
      }
      secondSequencerConfirmations.incrementAndGet();
      if (secondSequencers.add(topic + " " + other)) {
        LOG.warn("{} also sequences {}, which this directory sequences", other, topic);
        sink.publish(
            new Event()
                .type(EventType.INPUT_REJECTED)
                .timeNanos(clock.getAsLong())
                .peer(other.bytes())
                .topic(topic)
                .text(
                    "sequencer: second sequencer for "
                        + topic
                        + ": "
                        + other
                        + " confirms it too; its positions are not applied here"));
      }
    }
  }

  /** Subscribes to every topic with registrations: the directory sees its messages by gossip. */
  private void followRegistrations() {
    try {
      for (String topic : registeredTopics.get()) {
        if (!SequencerWire.isControlTopic(topic) && sequenced.add(topic)) {
          gossip.validator(topic, validator);
          gossip.subscribe(topic);
        }
      }
      sequencedView = Set.copyOf(sequenced);
    } catch (RuntimeException e) {
      LOG.warn("sequencer could not follow the registrations", e);
    }
  }

  /** Submissions a node sent on the submit topic; re-confirms those already final. */
  void submitted(List<OrderedMessage> batch) {
    long now = clock.getAsLong();
    thread.execute(
        () -> {
          List<Assignment> again = new ArrayList<>();
          for (OrderedMessage m : batch) {
            if (!sequenced.contains(m.topic())) {
              continue;
            }
            Sequencer.Outcome o = sequencer.submit(m, now);
            if (o == Sequencer.Outcome.ALREADY_FINAL) {
              again.add(new Assignment(m, sequencer.positionOf(m.topic(), m.id())));
            } else if (o == Sequencer.Outcome.REJECTED_CLOCK) {
              rejected.incrementAndGet();
            }
          }
          send(again); // journaled long ago: safe to confirm again
        });
  }

  private void tick() {
    try {
      List<Assignment> out = sequencer.release(clock.getAsLong());
      for (Assignment a : out) {
        OrderedMessage m = a.message();
        Event e =
            new Event()
                .type(EventType.SEQUENCE_ASSIGNED)
                .timeNanos(clock.getAsLong())
                .topic(m.topic())
                .messageId(m.id().bytes())
                .epoch(a.position().epoch())
                .finalSeq(a.position().seq());
        if (m.hasLamport()) {
          e.lamport(m.lamport());
        }
        if (m.origin().length > 0) {
          e.origin(m.origin());
        }
        if (m.originSeqno() != OrderedMessage.ABSENT) {
          e.originSeqno(m.originSeqno());
        }
        sink.publish(e);
      }
      finalized.addAndGet(out.size());
    } catch (RuntimeException e) {
      LOG.warn("sequencer tick failed", e);
    }
  }

  @Override
  public void onJournaled(Event e, long journalIndex, boolean endOfBatch) {
    if (e.type() == EventType.DELIVER_MESSAGE
        && e.topic() != null
        && e.messageId() != null
        && sequencedView.contains(e.topic())) {
      OrderedMessage m = TopicOrders.message(e);
      long arrival = e.timeNanos();
      thread.execute(
          () -> {
            if (sequencer.submit(m, arrival) == Sequencer.Outcome.REJECTED_CLOCK) {
              rejected.incrementAndGet();
            }
          });
    } else if (e.type() == EventType.SEQUENCE_ASSIGNED
        && e.peer() == null
        && e.epoch() != Event.ABSENT
        && e.messageId() != null
        && e.topic() != null) {
      toConfirm.add(
          new Assignment(TopicOrders.message(e), new FinalPosition(e.epoch(), e.finalSeq())));
    }
    if (endOfBatch) {
      onBatchEnd();
    }
  }

  @Override
  public void onBatchEnd() {
    if (!toConfirm.isEmpty()) {
      send(toConfirm);
      toConfirm.clear();
    }
  }

  private void send(List<Assignment> assignments) {
    Gossipsub g = gossip;
    if (g == null || assignments.isEmpty()) {
      return; // not started yet: nodes submit what they do not see confirmed
    }
    for (int from = 0; from < assignments.size(); from += SequencerWire.MAX_ENTRIES) {
      List<Assignment> batch =
          assignments.subList(from, Math.min(assignments.size(), from + SequencerWire.MAX_ENTRIES));
      g.publish(SequencerWire.CONFIRM_TOPIC, SequencerWire.confirm(identity, batch))
          .whenComplete(
              (id, failure) -> {
                if (failure == null) {
                  confirmationsSent.incrementAndGet();
                }
              });
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
