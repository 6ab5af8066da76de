package io.meshlog.jmx.view;

/**
 * What the {@code io.meshlog:type=EventLog} MBean reads: the journal's positions and health and the
 * projections' progress. Implementations must be thread-safe and cheap: a console reads them from
 * RMI threads, the sampler once per interval.
 */
public interface EventLogView {

  /** Journal index of the last event written, -1 when none. */
  long appendedIndex();

  /** Events written since the journal opened; monotonic. Events/s is derived from it. */
  long eventsAppended();

  /** Free slots in the ring in front of the journal; -1 when unknown. */
  long ringRemainingCapacity();

  /** Publishes that found the ring full and had to wait. */
  long backpressureStalls();

  /** Bytes the journal takes on disk. */
  long journalSizeBytes();

  /** The journal's health. */
  Health health();

  /**
   * Cycle files retention deleted since the journal opened although a retention hold still needed
   * them (only with {@code journal.retention.ignoreHolds}); monotonic.
   */
  long unshippedCyclesDeleted();

  /** Journal index of the last event the projections committed, -1 when none. */
  long appliedIndex();

  /** Events journaled but not yet applied to the projections. */
  long projectionLag();

  /**
   * Rebuilds the projections from the journal and returns their applied index afterwards.
   *
   * @throws IllegalStateException when a rebuild is not possible now, with the reason
   */
  long rebuildProjections();
}
