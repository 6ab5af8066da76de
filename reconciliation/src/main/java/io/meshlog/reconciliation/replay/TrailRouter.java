package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.RpcPart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds one pass of a journal to the {@link MessageTrail}s of many messages: an event about a
 * message goes to that message's trail (an IHAVE to the trail of each id it lists), the node's
 * lifecycle and mesh events to every trail, the rest to none. The same trails as one pass per
 * message would give.
 *
 * <p>Not thread-safe; owned by the explain thread.
 */
final class TrailRouter {
  private final Map<ByteBuffer, MessageTrail> byId = new HashMap<>();
  private final List<MessageTrail> all = new ArrayList<>();
  private final List<MessageTrail> fed = new ArrayList<>(); // of the RPC at hand

  void add(MessageTrail trail) {
    byId.put(ByteBuffer.wrap(trail.id()), trail);
    all.add(trail);
  }

  /** Reads the whole journal of {@code source} into the trails and finishes them. */
  void read(JournalSource source) {
    Event e = new Event();
    while (source.advance()) {
      accept(source.headIndex, source.head.toEvent(e.clear()));
    }
    all.forEach(MessageTrail::finish);
  }

  private void accept(long index, Event e) {
    if (e.type() == null) {
      return;
    }
    switch (e.type()) {
      case NODE_STARTED, JOURNAL_CYCLE, GRAFT, PRUNE, REMOVE_PEER -> {
        for (MessageTrail t : all) {
          t.accept(index, e);
        }
      }
      case PUBLISH_MESSAGE, DELIVER_MESSAGE, GAP_SYNC_FILLED, DUPLICATE_MESSAGE, REJECT_MESSAGE -> {
        MessageTrail t = e.messageId() == null ? null : byId.get(ByteBuffer.wrap(e.messageId()));
        if (t != null) {
          t.accept(index, e);
        }
      }
      case RECV_RPC -> {
        fed.clear();
        for (int i = 0; i < e.rpcIdCount(); i++) {
          if (e.rpcIdPart(i) != RpcPart.IHAVE) {
            continue;
          }
          MessageTrail t = byId.get(ByteBuffer.wrap(e.rpcId(i)));
          if (t != null && !fed.contains(t)) {
            t.accept(index, e); // the trail finds its own id among the RPC's
            fed.add(t);
          }
        }
      }
      default -> {}
    }
  }
}
