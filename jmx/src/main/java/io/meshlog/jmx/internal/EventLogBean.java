package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.EventLogMXBean;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.NotificationTypes;
import io.meshlog.jmx.view.EventLogView;
import io.meshlog.jmx.view.Health;

/**
 * {@code io.meshlog:type=EventLog} over an {@link EventLogView}. The events/s figure and health
 * notifications come from {@link #sample()}, which the sampler thread calls once per interval;
 * attribute reads go straight to the view.
 *
 * <p>Thread-safe: {@link #sample} is called by one thread; readers see volatile results.
 */
public final class EventLogBean implements EventLogMXBean {

  private final EventLogView view;
  private final ViewCalls calls;
  private final HealthWatch healthWatch;
  private final GatedEmitter emitter;

  // Owned by the sampler thread.
  private long lastEvents = -1;
  private long lastNanos;
  // The journal's count starts at 0 when it opens: deletions before the first sample are news too.
  private long lastUnshippedDeleted;

  private volatile double eventsPerSecond;

  public EventLogBean(EventLogView view, CounterSet<JmxCounter> counters, GatedEmitter emitter) {
    this.view = view;
    this.calls = new ViewCalls(counters);
    this.healthWatch = new HealthWatch("journal", emitter);
    this.emitter = emitter;
  }

  /** Takes one sample: the rate since the last one, and a health check. */
  public void sample() {
    long events = view.eventsAppended();
    // The time is read right after the count: a sampler thread descheduled between the two would
    // otherwise credit one interval with the next one's events.
    long nowNanos = System.nanoTime();
    if (lastEvents >= 0 && nowNanos > lastNanos) {
      eventsPerSecond = (events - lastEvents) * 1e9 / (nowNanos - lastNanos);
    }
    lastEvents = events;
    lastNanos = nowNanos;
    healthWatch.check(view.health());
    noticeUnshippedDeletes();
  }

  private void noticeUnshippedDeletes() {
    long deleted = view.unshippedCyclesDeleted();
    long before = lastUnshippedDeleted;
    if (deleted <= before) {
      return;
    }
    lastUnshippedDeleted = deleted;
    if (!emitter.active()) {
      return;
    }
    long now = deleted - before;
    String reason =
        "retention deleted "
            + now
            + (now == 1 ? " cycle file" : " cycle files")
            + " a retention hold still needed (journal.retention.ignoreHolds=true): their events"
            + " were never shipped";
    emitter.emit(
        NotificationTypes.UNSHIPPED_DELETED,
        reason,
        NotificationData.of(
            null, null, null, null, reason, Long.toString(before), Long.toString(deleted)));
  }

  @Override
  public long getAppendedIndex() {
    return calls.call(view::appendedIndex);
  }

  @Override
  public double getEventsPerSecond() {
    return eventsPerSecond;
  }

  @Override
  public long getRingRemainingCapacity() {
    return calls.call(view::ringRemainingCapacity);
  }

  @Override
  public long getBackpressureStalls() {
    return calls.call(view::backpressureStalls);
  }

  @Override
  public long getJournalSizeBytes() {
    return calls.call(view::journalSizeBytes);
  }

  @Override
  public String getHealth() {
    return calls.call(view::health).state().name();
  }

  @Override
  public String getHealthReason() {
    return calls.call(view::health).reason();
  }

  @Override
  public long getUnshippedCyclesDeleted() {
    return calls.call(view::unshippedCyclesDeleted);
  }

  @Override
  public long getProjectionAppliedIndex() {
    return calls.call(view::appliedIndex);
  }

  @Override
  public long getProjectionLag() {
    return calls.call(view::projectionLag);
  }

  @Override
  public long rebuild() {
    return calls.call(view::rebuildProjections);
  }

  /** The health last seen by the sampler, for tests and the node's own health. */
  Health lastHealth() {
    return healthWatch.last();
  }
}
