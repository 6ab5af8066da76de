package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Via;

/**
 * What the journals say about one message: its facts, and per node the first delivery (time,
 * journal index, how, from whom), the delivery count and the duplicate receipts. Memory is per
 * message times nodes, never per event; repeated deliveries (rare) keep their witnesses.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class MessageState {
  static final byte NONE = 0;
  static final byte PUBLISH = 1;
  static final byte DELIVER = 2;
  static final byte SYNC = 3;

  final int number;
  int topic = -1;
  int origin = -1;
  long seqno = Event.ABSENT;
  long lamport = Event.ABSENT;
  long epoch = Event.ABSENT; // of finalSeq; absent on schema 2 records
  long finalSeq = Event.ABSENT;
  long envelopePublishNanos = Event.ABSENT;

  /** Per node, how it was delivered ({@link #NONE} until it was). */
  final byte[] via;

  // Time, journal index and forwarder (peer number, -1 for none) of the first delivery: set by it,
  // so read only where via is not NONE. Left unfilled until then: a message is made per id seen.
  final long[] time;
  final long[] index;
  final int[] forwarder;

  /** How the first delivery came: {@link Via#code()} (DELIVER_MESSAGE's via), UNKNOWN otherwise. */
  final byte[] route;

  final int[] duplicates;
  final int[] count;

  /** Repeated deliveries: (node, index, time, via) per repeat; null when none. */
  LongList repeats;

  MessageState(int number, int nodes) {
    this.number = number;
    time = new long[nodes];
    index = new long[nodes];
    via = new byte[nodes];
    forwarder = new int[nodes];
    route = new byte[nodes];
    duplicates = new int[nodes];
    count = new int[nodes];
  }

  boolean delivered(int node) {
    return via[node] != NONE;
  }

  /**
   * Records a delivery at {@code node}.
   *
   * @return true when it is the node's first delivery of this message
   */
  boolean deliver(int node, long idx, long timeNanos, byte how, int from, Via way) {
    if (sameSyncDelivery(node, how, way)) {
      return false;
    }
    count[node]++;
    if (via[node] == NONE) {
      via[node] = how;
      route[node] = (byte) way.code();
      index[node] = idx;
      time[node] = timeNanos;
      forwarder[node] = from;
      return true;
    }
    if (repeats == null) {
      repeats = new LongList();
    }
    repeats.add(node);
    repeats.add(idx);
    repeats.add(timeNanos);
    repeats.add(how);
    return false;
  }

  /**
   * A message that gap sync fetched is journaled twice: DELIVER_MESSAGE with via sync, then
   * GAP_SYNC_FILLED (older journals have only the latter). The two are one delivery, not a
   * duplicate one.
   */
  private boolean sameSyncDelivery(int node, byte how, Via way) {
    if (via[node] == NONE) {
      return false;
    }
    boolean syncDeliveredBefore =
        via[node] == SYNC || via[node] == DELIVER && route[node] == Via.SYNC.code();
    boolean syncNow = how == SYNC || how == DELIVER && way == Via.SYNC;
    return syncDeliveredBefore
        && syncNow
        && count[node] == 1
        && (via[node] == SYNC) != (how == SYNC);
  }

  /** Takes origin, seqno and Lamport time from the first event that carries them. */
  void facts(long originSeqno, long lamportTime, int originPeer) {
    if (origin < 0) {
      origin = originPeer;
    }
    if (seqno == Event.ABSENT) {
      seqno = originSeqno;
    }
    if (lamport == Event.ABSENT) {
      lamport = lamportTime;
    }
  }

  static EventType eventType(byte how) {
    return switch (how) {
      case PUBLISH -> EventType.PUBLISH_MESSAGE;
      case DELIVER -> EventType.DELIVER_MESSAGE;
      case SYNC -> EventType.GAP_SYNC_FILLED;
      default -> throw new IllegalArgumentException("not delivered: " + how);
    };
  }

  /** The route label of replay's output: publish, sync, or the DELIVER's via; null if none. */
  static String routeLabel(byte how, byte route) {
    return switch (how) {
      case PUBLISH -> "publish";
      case SYNC -> "sync";
      case DELIVER -> Via.ofCode(route).label();
      default -> null;
    };
  }

  static String viaLabel(byte how) {
    return switch (how) {
      case PUBLISH -> "publish";
      case DELIVER -> "deliver";
      case SYNC -> "sync";
      default -> null;
    };
  }
}
