package io.meshlog.node.p2p;

/**
 * The transport's counters, declared in one place. Ids are stable (dashboards and the JMX module
 * key on them); a retired counter keeps its id as a comment.
 */
public enum TransportCounter {
  CONNECTIONS_OPENED(1, "connections.opened", "connections that completed the upgrade"),
  CONNECTIONS_CLOSED(2, "connections.closed", "upgraded connections that closed"),
  CONNECTIONS_FAILED(3, "connections.failed", "dials or inbound upgrades that failed"),
  CONNECTIONS_REFUSED(4, "connections.refused", "connections closed because of maxConnections"),
  REJECTED_MULTISTREAM(5, "rejected.multistream", "peers that broke multistream-select"),
  REJECTED_NOISE(6, "rejected.noise", "connections whose Noise handshake or frames failed"),
  REJECTED_YAMUX(7, "rejected.yamux", "connections closed for a Yamux protocol error"),
  REJECTED_IDENTIFY(8, "rejected.identify", "identify messages that were malformed or lied"),
  REJECTED_STREAM(9, "rejected.stream", "streams reset for oversized or malformed messages"),
  HANDSHAKE_TIMEOUTS(10, "handshake.timeouts", "upgrades that ran past handshakeTimeout"),
  STREAMS_OPENED(11, "streams.opened", "streams whose protocol was agreed, both directions"),
  STREAMS_UNSUPPORTED(12, "streams.unsupported", "streams that asked for a protocol we lack"),
  PINGS_SENT(13, "pings.sent", "pings answered by the remote"),
  PINGS_FAILED(14, "pings.failed", "pings that timed out or whose echo was wrong"),
  IDENTIFY_RECEIVED(15, "identify.received", "identify messages accepted"),
  BYTES_READ(16, "bytes.read", "bytes read from TCP sockets"),
  BYTES_WRITTEN(17, "bytes.written", "bytes written to TCP sockets");

  private final int id;
  private final String counterName;
  private final String description;

  TransportCounter(int id, String counterName, String description) {
    this.id = id;
    this.counterName = counterName;
    this.description = description;
  }

  /** The stable id. */
  public int id() {
    return id;
  }

  /** A dotted name for metrics, e.g. {@code connections.opened}. */
  public String counterName() {
    return counterName;
  }

  /** One line saying what is counted. */
  public String description() {
    return description;
  }
}
