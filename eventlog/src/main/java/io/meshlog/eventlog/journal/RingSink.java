package io.meshlog.eventlog.journal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.metrics.CounterSet;

/**
 * The producer side: claims a slot, copies the event's fields into it, stamps the time if unset,
 * publishes. A full ring is counted as a stall and waited out, never dropped. Thread-safe.
 */
final class RingSink implements EventSink {
  private final RingBuffer<EventSlot> ring;
  private final CounterSet<JournalCounter> counters;
  private final JournalState state;

  RingSink(RingBuffer<EventSlot> ring, CounterSet<JournalCounter> counters, JournalState state) {
    this.ring = ring;
    this.counters = counters;
    this.state = state;
  }

  @Override
  public void publish(Event event) {
    state.checkAccepting();
    if (event.type() == null) {
      throw new IllegalArgumentException("event without a type");
    }
    long sequence;
    try {
      sequence = ring.tryNext();
    } catch (InsufficientCapacityException full) {
      counters.increment(JournalCounter.RING_STALLS);
      sequence = ring.next();
    }
    try {
      Event slot = ring.get(sequence).event.copyFrom(event);
      if (slot.timeNanos() == 0) {
        slot.timeNanos(WallClock.nowNanos());
      }
    } finally {
      ring.publish(sequence);
    }
  }
}
