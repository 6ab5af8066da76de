package io.meshlog.jmx.api;

/**
 * {@code io.meshlog:type=EventLog}: the journal and its projections. Emits {@code
 * io.meshlog.health.changed} when the journal's health changes.
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

  /** Journal index of the last event the projections committed, -1 when none. */
  long getProjectionAppliedIndex();

  /** Events journaled and not yet applied to the projections. */
  long getProjectionLag();

  /** Rebuilds the projections from the journal; returns their applied index afterwards. */
  long rebuild();
}
