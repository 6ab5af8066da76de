package io.meshlog.node.gossipsub.internal;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.gossipsub.EnvelopeInspector;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import java.util.List;
import java.util.function.Function;

/**
 * Turns router happenings into journal events, one {@link EventSink#publish} each, reusing one
 * {@link Event}. The time of every event is the router's time input, so a replayed router writes
 * the same records. Not thread-safe; owned by the router thread.
 */
final class GossipTracer {
  private final EventSink sink;
  private final EnvelopeInspector inspector;
  private final CounterSet<GossipCounter> counters;
  private final Function<Rpc.PubMessage, byte[]> publishId;
  private final Event event = new Event();
  private long now;

  /**
   * @param publishId the id of a published message, for the ids RPC records list; may throw
   *     IllegalArgumentException for a message it cannot identify (that id is then not listed)
   */
  GossipTracer(
      EventSink sink,
      EnvelopeInspector inspector,
      CounterSet<GossipCounter> counters,
      Function<Rpc.PubMessage, byte[]> publishId) {
    this.sink = sink;
    this.inspector = inspector;
    this.counters = counters;
    this.publishId = publishId;
  }

  /** Sets the time stamped on the following events. */
  void time(long nowNanos) {
    this.now = nowNanos;
  }

  private Event start(EventType type, byte[] peer) {
    return event.clear().type(type).timeNanos(now).peer(peer);
  }

  void publishMessage(String topic, byte[] id, Rpc.PubMessage m) {
    Event e = start(EventType.PUBLISH_MESSAGE, null).topic(topic).messageId(id);
    author(e, m);
    inspect(e);
    sink.publish(e);
    signature(null, topic, id, m);
  }

  /**
   * The author fields the message's own record has no room for, so that a sync server can rebuild
   * the signed message from the journal: data = u16 signature length, signature, key protobuf.
   */
  private void signature(byte[] peer, String topic, byte[] id, Rpc.PubMessage m) {
    if (m.signature() == null) {
      return;
    }
    byte[] key = m.key() == null ? new byte[0] : m.key();
    byte[] data = new byte[2 + m.signature().length + key.length];
    data[0] = (byte) (m.signature().length >>> 8);
    data[1] = (byte) m.signature().length;
    System.arraycopy(m.signature(), 0, data, 2, m.signature().length);
    System.arraycopy(key, 0, data, 2 + m.signature().length, key.length);
    Event e = start(EventType.MESSAGE_SIGNATURE, peer).topic(topic).messageId(id);
    e.origin(m.from()).data(data).size(data.length);
    if (m.seqno() != null && m.seqno().length > 0) {
      e.originSeqno(seqnoOf(m.seqno()));
    }
    sink.publish(e);
  }

  /**
   * A first delivery: {@code peer} is the forwarder (the peer the message came from), {@code via}
   * how it came.
   */
  void deliverMessage(byte[] peer, String topic, byte[] id, Rpc.PubMessage m, Via via) {
    Event e = start(EventType.DELIVER_MESSAGE, peer).topic(topic).messageId(id).via(via);
    author(e, m);
    inspect(e);
    sink.publish(e);
    signature(peer, topic, id, m);
  }

  /** The application's facts about the data; a failing inspector costs the facts, not the event. */
  private void inspect(Event e) {
    try {
      inspector.inspect(e.data(), e);
    } catch (RuntimeException ex) {
      counters.increment(GossipCounter.ROUTER_ERRORS);
    }
  }

  private static void author(Event e, Rpc.PubMessage m) {
    byte[] data = m.data() == null ? new byte[0] : m.data();
    e.origin(m.from()).data(data).size(data.length);
    if (m.seqno() != null && m.seqno().length > 0) {
      e.originSeqno(seqnoOf(m.seqno()));
    }
  }

  private static long seqnoOf(byte[] seqno) {
    long v = 0;
    for (int i = Math.max(0, seqno.length - 8); i < seqno.length; i++) {
      v = (v << 8) | (seqno[i] & 0xff);
    }
    return v;
  }

  void undeliverable(String topic, byte[] id, String reason) {
    sink.publish(
        start(EventType.UNDELIVERABLE_MESSAGE, null).topic(topic).messageId(id).text(reason));
  }

  void duplicateMessage(byte[] peer, String topic, byte[] id) {
    sink.publish(start(EventType.DUPLICATE_MESSAGE, peer).topic(topic).messageId(id));
  }

  void rejectMessage(byte[] peer, String topic, byte[] id, String reason) {
    sink.publish(start(EventType.REJECT_MESSAGE, peer).topic(topic).messageId(id).text(reason));
  }

  void inputRejected(byte[] peer, int size, String reason) {
    sink.publish(
        start(EventType.INPUT_REJECTED, peer)
            .size(size)
            .direction(Direction.INBOUND)
            .text("gossipsub: " + reason));
  }

  void addPeer(byte[] peer, String protocol, boolean outbound) {
    sink.publish(
        start(EventType.ADD_PEER, peer)
            .text(protocol)
            .direction(outbound ? Direction.OUTBOUND : Direction.INBOUND));
  }

  void removePeer(byte[] peer) {
    sink.publish(start(EventType.REMOVE_PEER, peer));
  }

  /** An RPC not decoded (e.g. from a graylisted peer): its size and why, no parts. */
  void rpc(EventType type, byte[] peer, int size, String reason) {
    sink.publish(rpcStart(type, peer, size).text(reason));
  }

  /**
   * An RPC received, sent or dropped: its size, the count of each part, and the message ids of its
   * publish, IHAVE and IWANT parts in that order, up to {@link Event#MAX_RPC_IDS}.
   */
  void rpc(EventType type, byte[] peer, int size, Rpc rpc) {
    Event e = rpcStart(type, peer, size);
    e.rpcCount(RpcPart.PUBLISH, rpc.publish().size());
    for (Rpc.PubMessage m : rpc.publish()) {
      byte[] id = idOf(m);
      if (id != null && !e.addRpcId(RpcPart.PUBLISH, id)) {
        break;
      }
    }
    Rpc.Control c = rpc.control();
    if (c != null) {
      int ihave = 0;
      for (Rpc.IHave h : c.ihave()) {
        ihave += listIds(e, RpcPart.IHAVE, h.messageIds());
      }
      int iwant = 0;
      for (Rpc.IWant w : c.iwant()) {
        iwant += listIds(e, RpcPart.IWANT, w.messageIds());
      }
      int idontwant = 0;
      for (Rpc.IDontWant d : c.idontwant()) {
        idontwant += d.messageIds().size();
      }
      e.rpcCount(RpcPart.IHAVE, ihave)
          .rpcCount(RpcPart.IWANT, iwant)
          .rpcCount(RpcPart.GRAFT, c.graft().size())
          .rpcCount(RpcPart.PRUNE, c.prune().size())
          .rpcCount(RpcPart.IDONTWANT, idontwant);
    }
    sink.publish(e);
  }

  private Event rpcStart(EventType type, byte[] peer, int size) {
    return start(type, peer)
        .size(size)
        .direction(type == EventType.RECV_RPC ? Direction.INBOUND : Direction.OUTBOUND);
  }

  /** Lists {@code ids} while there is room; returns how many there are. */
  private static int listIds(Event e, RpcPart part, List<byte[]> ids) {
    for (int i = 0; i < ids.size() && e.rpcIdCount() < Event.MAX_RPC_IDS; i++) {
      e.addRpcId(part, ids.get(i));
    }
    return ids.size();
  }

  private byte[] idOf(Rpc.PubMessage m) {
    try {
      return publishId.apply(m);
    } catch (IllegalArgumentException e) {
      return null; // not identifiable: the router rejects it; the count still shows it
    }
  }

  void join(String topic) {
    sink.publish(start(EventType.JOIN, null).topic(topic));
  }

  void leave(String topic) {
    sink.publish(start(EventType.LEAVE, null).topic(topic));
  }

  void graft(byte[] peer, String topic, Direction who) {
    sink.publish(start(EventType.GRAFT, peer).topic(topic).direction(who));
  }

  void prune(byte[] peer, String topic, Direction who, String reason) {
    sink.publish(start(EventType.PRUNE, peer).topic(topic).direction(who).text(reason));
  }

  void peerSubscribed(byte[] peer, String topic, boolean subscribed) {
    sink.publish(
        start(subscribed ? EventType.PEER_SUBSCRIBED : EventType.PEER_UNSUBSCRIBED, peer)
            .topic(topic));
  }

  void scoreSnapshot(byte[] peer, double score, String components) {
    sink.publish(
        start(EventType.SCORE_SNAPSHOT, peer).value(Math.round(score * 1e6)).text(components));
  }
}
