package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.sequencer.SequencerWire;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.OrderedMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's side of the sequencer: takes verified confirmations, says whether a sequencer is
 * reachable, and submits what stays unconfirmed.
 *
 * <pre>
 *   confirm topic ─► verify signature against node.directories ─► the topic's sequencer? ─►
 *                    journal SEQUENCE_ASSIGNED (peer = directory) ─► TopicOrders applies it,
 *                    journals REORDER_APPLIED
 *                    another directory: refused, journaled once as INPUT_REJECTED
 *   every reconciliation.resubmitInterval:
 *     reachable = a configured directory is subscribed to the confirm topic
 *     down → up: SEQUENCER_REACHABLE, submit every unconfirmed message
 *     up → down: SEQUENCER_UNREACHABLE
 *     up: submit the messages unconfirmed for longer than the interval
 * </pre>
 *
 * <p>Thread-safe: confirmations come on the gossip delivery thread, checks run on a thread of their
 * own ({@code meshlog-sequencer-client}).
 */
final class SequencerClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SequencerClient.class);

  private final List<PeerId> trusted;
  private final EventSink sink;
  private final Gossipsub gossip;
  private final TopicOrders orders;
  private final LongSupplier clock;
  private final long intervalNanos;
  private final ScheduledExecutorService thread;
  private volatile PeerId reachable;
  private final AtomicLong confirmationsApplied = new AtomicLong();
  private final AtomicLong confirmationsRefused = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final Set<String> secondSequencers = ConcurrentHashMap.newKeySet();

  SequencerClient(
      List<PeerId> trusted,
      EventSink sink,
      Gossipsub gossip,
      TopicOrders orders,
      ReconciliationConfig config,
      LongSupplier clock) {
    this.trusted = List.copyOf(trusted);
    this.sink = sink;
    this.gossip = gossip;
    this.orders = orders;
    this.clock = clock;
    this.intervalNanos = config.resubmitInterval().toNanos();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-sequencer-client");
              t.setDaemon(true);
              return t;
            });
    gossip.subscribe(SequencerWire.CONFIRM_TOPIC);
    gossip.subscribe(SequencerWire.SUBMIT_TOPIC);
    thread.scheduleWithFixedDelay(this::check, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  /** Whether a configured directory is reachable as sequencer (as of the last check). */
  boolean reachable() {
    return reachable != null;
  }

  long confirmationsApplied() {
    return confirmationsApplied.get();
  }

  long confirmationsRefused() {
    return confirmationsRefused.get();
  }

  long submitted() {
    return submitted.get();
  }

  /** A message on the confirm topic: journals each new final position it verifiably carries. */
  void confirmation(byte[] data) {
    var verified = SequencerWire.verifyConfirm(data, trusted);
    if (verified.isEmpty()) {
      confirmationsRefused.incrementAndGet();
      return;
    }
    PeerId directory = verified.get().signer();
    byte[] signer = directory.bytes();
    for (Assignment a : verified.get().assignments()) {
      OrderedMessage m = a.message();
      PeerId sequencer = orders.claimSequencer(m.topic(), directory, preferred());
      if (sequencer == null) {
        // Not the directory this node sequences by: its own sequencer confirms the message when
        // the submission reaches it.
        confirmationsRefused.incrementAndGet();
        continue;
      }
      if (!sequencer.equals(directory)) {
        secondSequencer(m.topic(), directory, sequencer);
        continue;
      }
      if (a.position().equals(orders.positionOf(m.topic(), m.id()))) {
        continue; // already applied: a re-confirmation
      }
      Event e =
          new Event()
              .type(EventType.SEQUENCE_ASSIGNED)
              .timeNanos(clock.getAsLong())
              .peer(signer)
              .topic(m.topic())
              .messageId(m.id().bytes())
              .epoch(a.position().epoch())
              .finalSeq(a.position().seq());
      if (m.hasLamport()) {
        e.lamport(m.lamport());
      }
      sink.publish(e);
      confirmationsApplied.incrementAndGet();
    }
  }

  /**
   * The directory a topic without a sequencer takes as its sequencer: the one found reachable (the
   * first configured directory subscribed to the confirm topic), or before the first check the
   * first configured one.
   */
  private PeerId preferred() {
    PeerId now = reachable;
    return now != null ? now : trusted.get(0);
  }

  /**
   * A confirmation of {@code topic} from a directory that is not its sequencer: refused, counted,
   * and journaled once per topic and directory (INPUT_REJECTED, peer = the second directory).
   */
  private void secondSequencer(String topic, PeerId directory, PeerId sequencer) {
    confirmationsRefused.incrementAndGet();
    if (secondSequencers.add(topic + " " + directory)) {
      LOG.warn("{} also sequences {}, whose sequencer is {}: refused", directory, topic, sequencer);
      sink.publish(
          new Event()
              .type(EventType.INPUT_REJECTED)
              .timeNanos(clock.getAsLong())
              .peer(directory.bytes())
              .topic(topic)
              .text(
                  "sequencer: second sequencer for "
                      + topic
                      + ": its confirmations are refused; the topic's sequencer is "
                      + sequencer));
    }
  }

  private void check() {
    try {
      PeerId now = findSequencer();
      PeerId before = reachable;
      if (now != null && before == null) {
        List<OrderedMessage> all = orders.unconfirmed(Long.MAX_VALUE);
        journal(EventType.SEQUENCER_REACHABLE, now, all.size());
        reachable = now;
        submit(all);
      } else if (now == null && before != null) {
        journal(EventType.SEQUENCER_UNREACHABLE, before, Event.ABSENT);
        reachable = null;
      } else if (now != null) {
        submit(orders.unconfirmed(clock.getAsLong() - intervalNanos));
      }
    } catch (RuntimeException e) {
      LOG.warn("sequencer check failed", e);
    }
  }

  /** The first configured directory subscribed to the confirm topic, or null. */
  private PeerId findSequencer() {
    Set<PeerId> peers;
    try {
      peers = gossip.topicPeers(SequencerWire.CONFIRM_TOPIC).get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reachable;
    } catch (ExecutionException | TimeoutException e) {
      return reachable; // the router is busy: keep the last answer
    }
    for (PeerId d : trusted) {
      if (peers.contains(d)) {
        return d;
      }
    }
    return null;
  }

  private void submit(List<OrderedMessage> unconfirmed) {
    for (int from = 0; from < unconfirmed.size(); from += SequencerWire.MAX_ENTRIES) {
      List<OrderedMessage> batch =
          unconfirmed.subList(from, Math.min(unconfirmed.size(), from + SequencerWire.MAX_ENTRIES));
      gossip.publish(SequencerWire.SUBMIT_TOPIC, SequencerWire.submit(batch));
      submitted.addAndGet(batch.size());
    }
  }

  private void journal(EventType type, PeerId directory, long value) {
    sink.publish(
        new Event().type(type).timeNanos(clock.getAsLong()).peer(directory.bytes()).value(value));
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
