package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;

/**
 * One preallocated ring entry. Written by a producer, then by the journal thread (index), then read
 * by the gated handlers; the Disruptor's sequences order those accesses.
 */
final class EventSlot {
  final Event event = new Event();

  /** Journal index once appended; -1 when the event was not journaled (failure, too large). */
  long journalIndex = -1;
}
