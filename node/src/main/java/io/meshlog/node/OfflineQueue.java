package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.projection.EnvelopeSequence;
import io.meshlog.node.gossipsub.Gossipsub;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Messages published while this node had no peer: each is journaled as MESSAGE_PENDING (with its
 * envelope bytes) instead of being handed to gossip, and handed over, in publish order per topic,
 * once some peer is subscribed to its topic; MESSAGE_PENDING_SENT then records its message id. On
 * start the pending ones (MESSAGE_PENDING without MESSAGE_PENDING_SENT, in the journal's last
 * {@link ClockRecovery#WINDOW} events) are taken up again, so a restart loses none.
 *
 * <pre>
 *   publish, no connection ─► MESSAGE_PENDING ─► queue per topic
 *   every 200 ms: topic has a subscribed peer? ─► gossip.publish ─► MESSAGE_PENDING_SENT
 * </pre>
 *
 * <p>Thread-safe: callers and the one flushing thread share the queues under this object's lock.
 */
final class OfflineQueue implements AutoCloseable {
  private static final long FLUSH_MILLIS = 200;

  private record Pending(
      String topic, long sequence, byte[] envelope, CompletableFuture<byte[]> sent) {}

  private final Gossipsub gossip;
  private final EventSink sink;
  private final LongSupplier wallNanos;
  private final byte[] self;
  private final Map<String, Deque<Pending>> queues = new LinkedHashMap<>();
  private final ScheduledExecutorService flusher;

  OfflineQueue(
      Gossipsub gossip, EventSink sink, Journal journal, byte[] self, LongSupplier wallNanos) {
    this.self = self;
    this.gossip = gossip;
    this.sink = sink;
    this.wallNanos = wallNanos;
    for (Event e : recover(journal)) {
      queue(new Pending(e.topic(), e.originSeqno(), e.data(), new CompletableFuture<>()));
    }
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-offline-queue");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Whether a message for {@code topic} waits: later ones must wait behind it. */
  synchronized boolean hasPending(String topic) {
    Deque<Pending> q = queues.get(topic);
    return q != null && !q.isEmpty();
  }

  /** How many messages wait, over all topics. */
  synchronized int pending() {
    int n = 0;
    for (Deque<Pending> q : queues.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Journals {@code envelope} as pending and queues it.
   *
   * @return completes with the message id once it was handed to gossip
   */
  CompletableFuture<byte[]> hold(String topic, long lamport, long sequence, byte[] envelope) {
    Pending p = new Pending(topic, sequence, envelope, new CompletableFuture<>());
    synchronized (this) {
      sink.publish(
          new Event()
              .type(EventType.MESSAGE_PENDING)
              .timeNanos(wallNanos.getAsLong())
              .topic(topic)
              .origin(self)
              .lamport(lamport)
              .originSeqno(sequence)
              .data(envelope)
              .size(envelope.length));
      queue(p);
    }
    return p.sent();
  }

  private synchronized void queue(Pending p) {
    queues.computeIfAbsent(p.topic(), t -> new ArrayDeque<>()).add(p);
  }

  private void flush() {
    List<String> topics;
    synchronized (this) {
      topics = new ArrayList<>(queues.keySet());
    }
    for (String topic : topics) {
      try {
        if (gossip.topicPeers(topic).get(1, TimeUnit.SECONDS).isEmpty()) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        continue;
      }
      while (true) {
        Pending p;
        synchronized (this) {
          Deque<Pending> q = queues.get(topic);
          p = q == null ? null : q.peek();
        }
        if (p == null || !send(p)) {
          break;
        }
        synchronized (this) {
          queues.get(topic).poll();
        }
      }
    }
  }

  private boolean send(Pending p) {
    Event sent =
        new Event().type(EventType.MESSAGE_PENDING_SENT).topic(p.topic()).originSeqno(p.sequence());
    try {
      byte[] id = gossip.publish(p.topic(), p.envelope()).get(5, TimeUnit.SECONDS);
      sink.publish(sent.timeNanos(wallNanos.getAsLong()).messageId(id));
      p.sent().complete(id);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      sink.publish(sent.timeNanos(wallNanos.getAsLong()).text("not sent: " + e));
      return false; // stays queued; tried again at the next flush
    }
  }

  /** MESSAGE_PENDING records of the journal's tail with no MESSAGE_PENDING_SENT after them. */
  static List<Event> recover(Journal journal) {
    long end = journal.appendedIndex();
    Map<String, Event> open = new LinkedHashMap<>();
    if (end < 0) {
      return List.of();
    }
    try (JournalReader reader = journal.reader()) {
      reader.toAfter(Math.max(-1, end - ClockRecovery.WINDOW));
      Event e = new Event();
      while (reader.next(e.clear()) >= 0) {
        if (e.type() == EventType.MESSAGE_PENDING
            && e.topic() != null
            && EnvelopeSequence.of(e.data()) != Event.ABSENT) {
          open.put(e.topic() + "\n" + e.originSeqno(), new Event().copyFrom(e));
        } else if (e.type() == EventType.MESSAGE_PENDING_SENT && e.text() == null) {
          open.remove(e.topic() + "\n" + e.originSeqno());
        }
      }
    }
    return new ArrayList<>(open.values());
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
