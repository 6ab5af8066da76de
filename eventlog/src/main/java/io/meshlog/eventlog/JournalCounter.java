package io.meshlog.eventlog;

/**
 * Every counter the journal keeps, with a stable id, a name and a description. Positions are
 * counters too: {@link #APPENDED_INDEX} minus a projection's applied index is its lag.
 */
public enum JournalCounter {
  EVENTS_APPENDED(1, "journal.events.appended", "events written to the journal"),
  APPENDED_INDEX(
      2, "journal.appended.index", "journal index of the last event written; -1 if none"),
  NODE_SEQUENCE(3, "journal.node.sequence", "node sequence of the last event written; -1 if none"),
  BYTES_WRITTEN(4, "journal.bytes.written", "encoded record bytes written since open"),
  RING_STALLS(5, "journal.ring.stalls", "publishes that found the ring full and had to wait"),
  HANDLER_ERRORS(6, "journal.handler.errors", "exceptions thrown by journaled-event handlers"),
  APPEND_ERRORS(7, "journal.append.errors", "events the journal failed to write"),
  RECORDS_TOO_LARGE(
      8, "journal.records.too.large", "events rejected as larger than maxRecordBytes"),
  CYCLES_DELETED(9, "journal.retention.cycles.deleted", "closed cycle files deleted by retention"),
  BYTES_DELETED(10, "journal.retention.bytes.deleted", "bytes of cycle files deleted by retention"),
  BYTES_PREALLOCATED(11, "journal.preallocated.bytes", "file bytes touched ahead of the writer"),
  SKIPPED_RECORDS(
      12, "journal.records.skipped", "records of unknown type skipped by the journal's own reads");

  private final int id;
  private final String counterName;
  private final String description;

  JournalCounter(int id, String counterName, String description) {
    this.id = id;
    this.counterName = counterName;
    this.description = description;
  }

  /** Stable id, never reused. */
  public int id() {
    return id;
  }

  /** Dotted metric name, e.g. {@code journal.events.appended}. */
  public String counterName() {
    return counterName;
  }

  public String description() {
    return description;
  }
}
