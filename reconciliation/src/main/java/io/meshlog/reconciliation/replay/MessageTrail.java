package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalCycle;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one node's journal says about one message, read in one pass of that journal: the first
 * delivery (and its route), repeated deliveries, duplicate receipts, a rejection, the IHAVE that
 * offered it, and the node's mesh for the topic at the delivery. Times are as journaled.
 *
 * <p>Not thread-safe; owned by the explain thread.
 */
final class MessageTrail {
  /** A journal event kept for the story: peer (base58 or null), index, time, text. */
  record Mark(String peer, long index, long timeNanos, String text) {}

  private final byte[] id;
  private final String topic;

  long deliveryIndex = -1;
  long deliveryTime;
  EventType deliveryType;
  Via via = Via.UNKNOWN;
  String forwarder;
  int deliveries;
  Mark rejected;
  final List<Mark> duplicates = new ArrayList<>();

  /** The latest IHAVE listing the message before the delivery, per sending peer; see ihave(). */
  private final List<Mark> ihaves = new ArrayList<>();

  private final Set<String> mesh = new HashSet<>();
  private boolean meshEvents;
  private Mark lastPrune;
  Integer meshAtDelivery;
  Mark pruneBeforeDelivery;

  MessageTrail(byte[] id, String topic) {
    this.id = id;
    this.topic = topic;
  }

  byte[] id() {
    return id;
  }

  /** Reads the whole journal of {@code source}. */
  static MessageTrail read(JournalSource source, byte[] id, String topic) {
    MessageTrail t = new MessageTrail(id, topic);
    Event e = new Event();
    while (source.advance()) {
      t.accept(source.headIndex, source.head.toEvent(e.clear()));
    }
    t.finish();
    return t;
  }

  void accept(long index, Event e) {
    EventType type = e.type();
    if (type == null) {
      return;
    }
    switch (type) {
      case NODE_STARTED -> mesh.clear();
      case JOURNAL_CYCLE -> restate(e);
      case GRAFT, PRUNE, REMOVE_PEER -> mesh(index, e, type);
      case PUBLISH_MESSAGE, DELIVER_MESSAGE, GAP_SYNC_FILLED -> {
        if (ours(e)) {
          deliveries++;
          if (deliveryIndex < 0) {
            deliveryIndex = index;
            deliveryTime = e.timeNanos();
            deliveryType = type;
            forwarder = peer(e);
            via = type == EventType.DELIVER_MESSAGE ? e.via() : Via.UNKNOWN;
            meshAtDelivery = meshEvents ? mesh.size() : null;
            pruneBeforeDelivery = lastPrune;
          }
        }
      }
      case DUPLICATE_MESSAGE -> {
        if (ours(e)) {
          duplicates.add(new Mark(peer(e), index, e.timeNanos(), null));
        }
      }
      case REJECT_MESSAGE -> {
        if (ours(e) && rejected == null) {
          rejected = new Mark(peer(e), index, e.timeNanos(), e.text());
        }
      }
      case RECV_RPC -> {
        if (deliveryIndex < 0 && offers(e)) {
          ihaves.add(new Mark(peer(e), index, e.timeNanos(), null));
        }
      }
      default -> {}
    }
  }

  void finish() {
    if (deliveryIndex < 0) {
      meshAtDelivery = meshEvents ? mesh.size() : null;
      pruneBeforeDelivery = lastPrune;
    }
  }

  /** The latest IHAVE from the forwarder that offered the message before it was delivered. */
  Mark ihave() {
    for (int i = ihaves.size() - 1; i >= 0; i--) {
      Mark m = ihaves.get(i);
      if (forwarder != null && forwarder.equals(m.peer())) {
        return m;
      }
    }
    return null;
  }

  private void mesh(long index, Event e, EventType type) {
    if (type != EventType.REMOVE_PEER && !topic.equals(e.topic())) {
      return;
    }
    String p = peer(e);
    if (type == EventType.GRAFT) {
      meshEvents = true;
      if (p != null) {
        mesh.add(p);
      }
    } else if (p != null && mesh.remove(p) || type == EventType.PRUNE) {
      meshEvents = true;
      if (type == EventType.PRUNE && deliveryIndex < 0) {
        lastPrune = new Mark(p, index, e.timeNanos(), e.text());
      }
    }
  }

  /** A JOURNAL_CYCLE that lists this topic tells its mesh peers at that moment. */
  private void restate(Event e) {
    JournalCycle.tryDecode(e.data()).stream()
        .flatMap(c -> c.topics().stream())
        .filter(t -> topic.equals(t.topic()))
        .forEach(
            t -> {
              meshEvents = true;
              t.mesh().forEach(p -> mesh.add(Base58.encode(p)));
            });
  }

  private boolean ours(Event e) {
    return Arrays.equals(id, e.messageId());
  }

  private boolean offers(Event e) {
    for (int i = 0; i < e.rpcIdCount(); i++) {
      if (e.rpcIdPart(i) == RpcPart.IHAVE && Arrays.equals(id, e.rpcId(i))) {
        return true;
      }
    }
    return false;
  }

  private static String peer(Event e) {
    return e.peer() == null ? null : Base58.encode(e.peer());
  }
}
