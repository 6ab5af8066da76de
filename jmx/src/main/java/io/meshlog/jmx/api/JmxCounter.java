package io.meshlog.jmx.api;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/** Every counter the jmx module keeps (ids 500-599). */
public enum JmxCounter implements CounterDescriptor {
  NOTIFICATIONS_SENT(
      501, "meshlog.jmx.notifications.sent", "notifications built and sent to listeners"),
  SCRAPES(502, "meshlog.jmx.prometheus.scrapes", "Prometheus scrapes served"),
  SCRAPE_ERRORS(503, "meshlog.jmx.prometheus.scrape.errors", "Prometheus scrapes that failed"),
  SAMPLER_ERRORS(
      504, "meshlog.jmx.sampler.errors", "exceptions caught by the MBean sampling thread"),
  VIEW_ERRORS(
      505,
      "meshlog.jmx.view.errors",
      "exceptions thrown by views while a console read an attribute");

  private final CounterDeclaration declaration;

  JmxCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  JmxCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
