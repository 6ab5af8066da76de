package io.meshlog.eventlog.projection;

import java.nio.ByteBuffer;

/**
 * The mutable in-memory row of one peer. Encoded as 12 big-endian int64 in the order of the fields
 * below; the layout belongs to {@link ProjectionStore#SCHEMA_VERSION}.
 *
 * <p>Not thread-safe: owned by the projection writer's thread.
 */
final class PeerRow {

  static final int ENCODED_SIZE = 12 * Long.BYTES;

  final byte[] peer;
  long firstSeen = Long.MIN_VALUE;
  long lastSeen;
  long connections;
  long disconnects;
  long messagesIn;
  long messagesOut;
  long bytesIn;
  long bytesOut;
  long delivered;
  long duplicates;
  long rejects;
  long lastRtt = -1;

  /** Set while the row waits in the current batch's dirty list. */
  boolean dirty;

  PeerRow(byte[] peer) {
    this.peer = peer;
  }

  void seen(long time) {
    if (firstSeen == Long.MIN_VALUE) {
      firstSeen = time;
    }
    lastSeen = time;
  }

  void encode(ByteBuffer out) {
    out.putLong(firstSeen)
        .putLong(lastSeen)
        .putLong(connections)
        .putLong(disconnects)
        .putLong(messagesIn)
        .putLong(messagesOut)
        .putLong(bytesIn)
        .putLong(bytesOut)
        .putLong(delivered)
        .putLong(duplicates)
        .putLong(rejects)
        .putLong(lastRtt);
  }

  static PeerRow decode(byte[] peer, byte[] value) {
    if (value.length != ENCODED_SIZE) {
      throw new IllegalArgumentException("peer row of " + value.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    PeerRow row = new PeerRow(peer);
    row.firstSeen = in.getLong();
    row.lastSeen = in.getLong();
    row.connections = in.getLong();
    row.disconnects = in.getLong();
    row.messagesIn = in.getLong();
    row.messagesOut = in.getLong();
    row.bytesIn = in.getLong();
    row.bytesOut = in.getLong();
    row.delivered = in.getLong();
    row.duplicates = in.getLong();
    row.rejects = in.getLong();
    row.lastRtt = in.getLong();
    return row;
  }

  PeerStats toStats() {
    return new PeerStats(
        peer.clone(),
        firstSeen,
        lastSeen,
        connections,
        disconnects,
        messagesIn,
        messagesOut,
        bytesIn,
        bytesOut,
        delivered,
        duplicates,
        rejects,
        lastRtt);
  }
}
