package io.meshlog.jmx.api;

/**
 * {@code io.meshlog:type=EventLog}: the journal and its projections. Emits {@code
 * io.meshlog.health.changed} when the journal's health changes and {@code
 * io.meshlog.journal.unshipped.deleted} when retention deleted events a shipper had not shipped.
 */
public interface EventLogMXBean {

  /** Journal index of the last event written, -1 when none. */
  long getAppendedIndex();

  /** Events written per second over the last sampling interval. */
  double getEventsPerSecond();

  /** Free ring slots in front of the journal, -1 when unknown. */
  long getRingRemainingCapacity();

  /** Publishes that found the ring full and waited. */
  long getBackpressureStalls();

  long getJournalSizeBytes();

  /** OK, LAGGING or FAILED. */
  String getHealth();

  /** Why the health is not OK; empty when OK. */
  String getHealthReason();

  /**
   * Cycle files retention deleted since the node started although a retention hold (a Kafka
   * shipper's position) still needed them; only ever above 0 with {@code
   * journal.retention.ignoreHolds=true}.
   */
  long getUnshippedCyclesDeleted();

  /** Journal index of the last event the projections committed, -1 when none. */
  long getProjectionAppliedIndex();

  /** Events journaled and not yet applied to the projections. */
  long getProjectionLag();

  /** Rebuilds the projections from the journal; returns their applied index afterwards. */
  long rebuild();
}
