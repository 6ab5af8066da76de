package io.meshlog.jmx;

/** Every counter the jmx module keeps, with a stable id, a name and a description. */
public enum JmxCounter {
  NOTIFICATIONS_SENT(1, "jmx.notifications.sent", "notifications built and sent to listeners"),
  SCRAPES(2, "jmx.prometheus.scrapes", "Prometheus scrapes served"),
  SCRAPE_ERRORS(3, "jmx.prometheus.scrape.errors", "Prometheus scrapes that failed"),
  SAMPLER_ERRORS(4, "jmx.sampler.errors", "exceptions caught by the MBean sampling thread"),
  VIEW_ERRORS(5, "jmx.view.errors", "exceptions thrown by views while a console read an attribute");

  private final int id;
  private final String counterName;
  private final String description;

  JmxCounter(int id, String counterName, String description) {
    this.id = id;
    this.counterName = counterName;
    this.description = description;
  }

  /** Stable id, never reused. */
  public int id() {
    return id;
  }

  /** Dotted metric name. */
  public String counterName() {
    return counterName;
  }

  public String description() {
    return description;
  }
}
