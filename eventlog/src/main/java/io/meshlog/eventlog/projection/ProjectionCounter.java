package io.meshlog.eventlog.projection;

/**
 * Every counter the projections keep, with a stable id. Positions are counters too: the journal's
 * node sequence minus {@link #APPLIED_SEQUENCE} is the lag in events (journal indexes are not
 * contiguous across cycle files; node sequences are).
 *
 * <p>Values are published once per committed batch; read them with {@link
 * Projections#counter(ProjectionCounter)} from any thread.
 */
public enum ProjectionCounter {
  APPLIED_INDEX(
      1, "projection applied index", "journal index of the last committed event, -1 if none"),
  EVENTS_APPLIED(2, "projection events applied", "events applied and committed since open"),
  BATCHES_COMMITTED(
      3, "projection batches committed", "RocksDB write batches committed since open"),
  ROWS_WRITTEN(4, "projection rows written", "peer and topic rows written since open"),
  EVENTS_SKIPPED(
      5, "projection events skipped", "events at or below the checkpoint, already applied"),
  EVENTS_UNINDEXED(
      6,
      "projection events unindexed",
      "messages left out of an index: no Lamport time, or oversized keys"),
  ERRORS(7, "projection errors", "failed commits; the projection stops applying until reopened"),
  EVENTS_NOT_APPLIED(8, "projection events not applied", "events ignored after a failed commit"),
  APPLIED_SEQUENCE(
      9, "projection applied sequence", "node sequence of the last committed event, -1 if none");

  private final int id;
  private final String label;
  private final String description;

  ProjectionCounter(int id, String label, String description) {
    this.id = id;
    this.label = label;
    this.description = description;
  }

  /** Stable id, never reused. */
  public int id() {
    return id;
  }

  /** Human-readable name. */
  public String label() {
    return label;
  }

  /** One line saying what is counted. */
  public String description() {
    return description;
  }
}
