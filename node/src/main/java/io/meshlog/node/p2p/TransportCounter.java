package io.meshlog.node.p2p;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * The transport's counters (ids 300-399; the one-connection-per-pair rule's, 800, is named in the
 * discovery module's range: it is part of the connection lifecycle), read with {@link
 * Host#counter(TransportCounter)}. A retired counter keeps its id as a comment.
 */
public enum TransportCounter implements CounterDescriptor {
  CONNECTIONS_OPENED(
      301, "meshlog.transport.connections.opened", "connections that completed the upgrade"),
  CONNECTIONS_CLOSED(
      302, "meshlog.transport.connections.closed", "upgraded connections that closed"),
  CONNECTIONS_FAILED(
      303, "meshlog.transport.connections.failed", "dials or inbound upgrades that failed"),
  CONNECTIONS_REFUSED(
      304, "meshlog.transport.connections.refused", "connections closed because of maxConnections"),
  REJECTED_MULTISTREAM(
      305, "meshlog.transport.rejected.multistream", "peers that broke multistream-select"),
  REJECTED_NOISE(
      306,
      "meshlog.transport.rejected.noise",
      "connections whose Noise handshake or frames failed"),
  REJECTED_YAMUX(
      307, "meshlog.transport.rejected.yamux", "connections closed for a Yamux protocol error"),
  REJECTED_IDENTIFY(
      308, "meshlog.transport.rejected.identify", "identify messages that were malformed or lied"),
  REJECTED_STREAM(
      309,
      "meshlog.transport.rejected.stream",
      "streams reset for oversized or malformed messages"),
  HANDSHAKE_TIMEOUTS(
      310, "meshlog.transport.handshake.timeouts", "upgrades that ran past handshakeTimeout"),
  STREAMS_OPENED(
      311,
      "meshlog.transport.streams.opened",
      "streams whose protocol was agreed, both directions"),
  STREAMS_UNSUPPORTED(
      312, "meshlog.transport.streams.unsupported", "streams that asked for a protocol we lack"),
  PINGS_SENT(313, "meshlog.transport.pings.sent", "pings answered by the remote"),
  PINGS_FAILED(
      314, "meshlog.transport.pings.failed", "pings that timed out or whose echo was wrong"),
  IDENTIFY_RECEIVED(315, "meshlog.transport.identify.received", "identify messages accepted"),
  BYTES_READ(316, "meshlog.transport.read.bytes", "bytes read from TCP sockets"),
  BYTES_WRITTEN(317, "meshlog.transport.written.bytes", "bytes written to TCP sockets"),
  CONNECTIONS_DUPLICATE(
      800,
      "meshlog.discovery.connections.duplicate",
      "connections closed by the one-connection-per-pair rule");

  private final CounterDeclaration declaration;

  TransportCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  TransportCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
