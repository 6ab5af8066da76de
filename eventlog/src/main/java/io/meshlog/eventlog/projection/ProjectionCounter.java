package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * Every counter the projections keep (ids 100-199). Positions are counters too: the journal's node
 * sequence minus {@link #APPLIED_SEQUENCE} is the lag in events (journal indexes are not contiguous
 * across cycle files; node sequences are).
 *
 * <p>Values are published once per committed batch; read them with {@link
 * Projections#counter(ProjectionCounter)} from any thread.
 */
public enum ProjectionCounter implements CounterDescriptor {
  APPLIED_INDEX(
      101,
      "meshlog.projection.applied.index",
      CounterKind.POSITION,
      "journal index of the last committed event, -1 if none"),
  EVENTS_APPLIED(
      102, "meshlog.projection.events.applied", "events applied and committed since open"),
  BATCHES_COMMITTED(
      103, "meshlog.projection.batches.committed", "RocksDB write batches committed since open"),
  ROWS_WRITTEN(104, "meshlog.projection.rows.written", "peer and topic rows written since open"),
  EVENTS_SKIPPED(
      105,
      "meshlog.projection.events.skipped",
      "events at or below the checkpoint, already applied"),
  EVENTS_UNINDEXED(
      106,
      "meshlog.projection.events.unindexed",
      "messages left out of an index: no Lamport time, or oversized keys"),
  ERRORS(
      107,
      "meshlog.projection.errors",
      "failed commits; the projection stops applying until reopened"),
  EVENTS_NOT_APPLIED(
      108, "meshlog.projection.events.not.applied", "events ignored after a failed commit"),
  APPLIED_SEQUENCE(
      109,
      "meshlog.projection.applied.sequence",
      CounterKind.POSITION,
      "node sequence of the last committed event, -1 if none");

  private final CounterDeclaration declaration;

  ProjectionCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  ProjectionCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
