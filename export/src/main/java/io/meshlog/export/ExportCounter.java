package io.meshlog.export;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * The Kafka shipper's counters (ids 600-699). Lag is two gauges the shipper refreshes while it
 * runs: how many events and how much journal time lie between the journal's last event and the last
 * one Kafka acknowledged.
 */
public enum ExportCounter implements CounterDescriptor {
  EVENTS_SHIPPED(
      600, "meshlog.export.events.shipped", "journal records Kafka acknowledged since start"),
  SHIPPED_INDEX(
      601,
      "meshlog.export.shipped.index",
      CounterKind.POSITION,
      "journal index of the last record acknowledged and committed; -1 if none"),
  LAG_EVENTS(
      602,
      "meshlog.export.lag.events",
      CounterKind.GAUGE,
      "events journaled but not yet acknowledged by Kafka"),
  /** Kept in milliseconds, exported in seconds. */
  LAG_SECONDS(
      603,
      "meshlog.export.lag.seconds",
      CounterKind.GAUGE,
      0.001,
      "journal time between the last event and the last one acknowledged, in seconds"),
  SEND_FAILURES(
      604,
      "meshlog.export.send.failures",
      "times sending failed (broker down or slow) and the shipper backed off to retry"),
  BYTES_SHIPPED(605, "meshlog.export.shipped.bytes", "record value bytes Kafka acknowledged");

  private final CounterDeclaration declaration;

  ExportCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  ExportCounter(int id, String meterName, CounterKind kind, String description) {
    this(id, meterName, kind, 1, description);
  }

  ExportCounter(int id, String meterName, CounterKind kind, double scale, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description, scale);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
