package io.meshlog.node.p2p.internal.transport;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.node.p2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what happens to connections into journal events. These are per-connection events, not
 * per-message ones, so a fresh {@link Event} per call is fine; the sink copies it into its ring.
 *
 * <p>Thread-safe. A failing sink (closed, journal down) must not take an I/O thread with it: the
 * failure is counted in the log, once per burst.
 */
public final class TransportEvents {
  private static final Logger LOG = LoggerFactory.getLogger(TransportEvents.class);

  private final EventSink sink;
  private volatile long lastSinkWarningNanos;

  public TransportEvents(EventSink sink) {
    this.sink = sink;
  }

  public void connectionOpened(PeerId peer, Direction direction, String remoteAddress) {
    publish(
        new Event()
            .type(EventType.CONNECTION_OPENED)
            .peer(bytes(peer))
            .direction(direction)
            .text(remoteAddress));
  }

  public void connectionClosed(PeerId peer, Direction direction, String reason) {
    publish(
        new Event()
            .type(EventType.CONNECTION_CLOSED)
            .peer(bytes(peer))
            .direction(direction)
            .text(reason));
  }

  public void connectionFailed(PeerId peerOrNull, Direction direction, String addressAndReason) {
    publish(
        new Event()
            .type(EventType.CONNECTION_FAILED)
            .peer(bytes(peerOrNull))
            .direction(direction)
            .text(addressAndReason));
  }

  /** A connection lost the one-connection-per-pair rule; {@code direction} is the closed one's. */
  public void connectionDuplicate(PeerId peer, Direction direction, String reason) {
    publish(
        new Event()
            .type(EventType.CONNECTION_DUPLICATE)
            .peer(bytes(peer))
            .direction(direction)
            .text(reason));
  }

  public void identifyReceived(PeerId peer, String summary, byte[] raw) {
    publish(
        new Event()
            .type(EventType.IDENTIFY_RECEIVED)
            .peer(bytes(peer))
            .text(summary)
            .data(raw)
            .size(raw.length));
  }

  public void pingRtt(PeerId peer, long rttNanos) {
    publish(new Event().type(EventType.PING_RTT).peer(bytes(peer)).value(rttNanos));
  }

  /** {@code layer} is one of multistream, noise, yamux, identify, stream. */
  public void inputRejected(PeerId peerOrNull, String layer, String reason) {
    publish(
        new Event()
            .type(EventType.INPUT_REJECTED)
            .peer(bytes(peerOrNull))
            .text(layer + ": " + reason));
  }

  private static byte[] bytes(PeerId peer) {
    return peer == null ? null : peer.bytes();
  }

  private void publish(Event event) {
    try {
      sink.publish(event);
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      if (now - lastSinkWarningNanos > 10_000_000_000L) {
        lastSinkWarningNanos = now;
        LOG.warn("event sink refused {}: {}", event.type(), e.toString());
      }
    }
  }
}
