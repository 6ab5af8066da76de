package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gossipsub message cache: the messages of the last {@code historyLength} heartbeats, served in
 * answer to IWANT, of which the last {@code historyGossip} are advertised in IHAVE. Also counts how
 * often each message was sent to each peer in answer to IWANT, so one peer cannot make us
 * retransmit a message without limit. Not thread-safe; owned by the router thread.
 */
final class MessageCache {

  /** A cached message and its IWANT retransmission counts. */
  static final class Entry {
    final MessageId id;
    final Rpc.PubMessage message;
    final Map<PeerId, Integer> iwantCounts = new HashMap<>(4);

    Entry(MessageId id, Rpc.PubMessage message) {
      this.id = id;
      this.message = message;
    }
  }

  private final Map<MessageId, Entry> entries = new HashMap<>();
  private final ArrayDeque<List<Entry>> windows = new ArrayDeque<>();
  private final int historyLength;
  private int historyGossip;

  MessageCache(int historyLength, int historyGossip) {
    this.historyLength = historyLength;
    this.historyGossip = historyGossip;
    windows.addFirst(new ArrayList<>());
  }

  void put(MessageId id, Rpc.PubMessage message) {
    if (entries.containsKey(id)) {
      return;
    }
    Entry e = new Entry(id, message);
    entries.put(id, e);
    windows.peekFirst().add(e);
  }

  Entry get(MessageId id) {
    return entries.get(id);
  }

  /** Ids of {@code topic} from the gossip windows, newest window first. */
  List<byte[]> gossipIds(String topic) {
    List<byte[]> ids = new ArrayList<>();
    int n = 0;
    for (List<Entry> window : windows) {
      if (n++ >= historyGossip) {
        break;
      }
      for (Entry e : window) {
        if (e.message.topic().equals(topic)) {
          ids.add(e.id.bytes());
        }
      }
    }
    return ids;
  }

  /** Starts a new window and drops the oldest beyond the history length (once per heartbeat). */
  void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > historyLength) {
      for (Entry e : windows.removeLast()) {
        entries.remove(e.id);
      }
    }
  }

  int size() {
    return entries.size();
  }
}
