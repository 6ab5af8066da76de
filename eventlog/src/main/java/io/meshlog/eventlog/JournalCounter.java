package io.meshlog.eventlog;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * Every counter the journal keeps (ids 1-99). Positions are counters too: {@link #APPENDED_INDEX}
 * minus a projection's applied index is its lag. Read with {@link Journal#counter(JournalCounter)}.
 */
public enum JournalCounter implements CounterDescriptor {
  EVENTS_APPENDED(1, "meshlog.journal.events.appended", "events written to the journal"),
  APPENDED_INDEX(
      2,
      "meshlog.journal.appended.index",
      CounterKind.POSITION,
      "journal index of the last event written; -1 if none"),
  NODE_SEQUENCE(
      3,
      "meshlog.journal.node.sequence",
      CounterKind.POSITION,
      "node sequence of the last event written; -1 if none"),
  BYTES_WRITTEN(4, "meshlog.journal.written.bytes", "encoded record bytes written since open"),
  RING_STALLS(
      5, "meshlog.journal.ring.stalls", "publishes that found the ring full and had to wait"),
  HANDLER_ERRORS(
      6, "meshlog.journal.handler.errors", "exceptions thrown by journaled-event handlers"),
  APPEND_ERRORS(7, "meshlog.journal.append.errors", "events the journal failed to write"),
  RECORDS_TOO_LARGE(
      8, "meshlog.journal.records.too.large", "events rejected as larger than maxRecordBytes"),
  CYCLES_DELETED(
      9, "meshlog.journal.retention.cycles.deleted", "closed cycle files deleted by retention"),
  BYTES_DELETED(
      10, "meshlog.journal.retention.deleted.bytes", "bytes of cycle files deleted by retention"),
  BYTES_PREALLOCATED(
      11, "meshlog.journal.preallocated.bytes", "file bytes allocated ahead of the writer"),
  SKIPPED_RECORDS(
      12,
      "meshlog.journal.records.skipped",
      "records of unknown type skipped by the journal's own reads"),
  SIZE_ON_DISK(
      13,
      "meshlog.journal.size.bytes",
      CounterKind.GAUGE,
      "bytes the journal's cycle files take on disk"),
  UNSHIPPED_DELETED(
      14,
      "meshlog.journal.retention.unshipped.deleted",
      "cycle files deleted although a retention hold still needed them (ignoreHolds)"),
  EVENTS_NOT_JOURNALED(
      15,
      "meshlog.journal.events.not.journaled",
      "events that reached the journal while its disk was full: counted, not written");

  private final CounterDeclaration declaration;

  JournalCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  JournalCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
