package io.meshlog.node.sync;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;

/** Gap sync's counters (ids 750-799). A retired counter keeps its id as a comment. */
public enum SyncCounter implements CounterDescriptor {
  REQUESTS_SENT(750, "meshlog.sync.requests.sent", "sync requests this node sent"),
  REQUESTS_FAILED(
      751,
      "meshlog.sync.requests.failed",
      "sync requests that failed (timeout, reset, refused, malformed answer)"),
  MESSAGES_FILLED(
      752, "meshlog.sync.messages.filled", "messages fetched by sync, verified and delivered"),
  MESSAGES_REFUSED(
      753,
      "meshlog.sync.messages.refused",
      "fetched messages refused as forged or not what was asked (source scored down)"),
  BYTES_IN(754, "meshlog.sync.in.bytes", "answer bytes received"),
  REQUESTS_SERVED(755, "meshlog.sync.requests.served", "requests answered OK"),
  REQUESTS_REFUSED(
      756,
      "meshlog.sync.requests.refused",
      "requests answered RATE_LIMITED, BUSY, BAD_REQUEST, UNSUPPORTED or ERROR"),
  MESSAGES_SERVED(757, "meshlog.sync.messages.served", "messages served from the journal"),
  BYTES_OUT(758, "meshlog.sync.out.bytes", "answer bytes sent"),
  GAPS_DETECTED(
      759,
      "meshlog.sync.gaps.detected",
      "gaps found (live gossip or a peer's heads) and asked for");

  private final CounterDeclaration declaration;

  SyncCounter(int id, String meterName, String description) {
    this.declaration =
        new CounterDeclaration(
            id, meterName, io.meshlog.eventlog.metrics.CounterKind.COUNTER, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
