package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes the merged stream and keeps per-message state ({@link MessageState}), each node's
 * intervals ({@link NodeTimeline}) and each node's delivery order per topic (message numbers).
 * Nothing here depends on clocks agreeing: every judgement across nodes is made afterwards.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class ReplayCollector implements JournalMerge.Consumer {
  final int nodes;
  final BytesIndex messageIds = new BytesIndex();
  final BytesIndex peers = new BytesIndex();
  final List<MessageState> messages = new ArrayList<>();
  final List<String> topicNames = new ArrayList<>();
  final NodeTimeline[] timelines;

  /** Per node, per topic: message numbers in first-delivery order. */
  final List<List<IntList>> orders = new ArrayList<>();

  final long[] events;
  final long[] firstTime;
  final long[] lastTime;

  private final Map<String, Integer> topicNumbers = new HashMap<>();
  private final Set<String> wantedTopics;

  ReplayCollector(int nodes, Set<String> wantedTopics) {
    this.nodes = nodes;
    this.wantedTopics = wantedTopics;
    timelines = new NodeTimeline[nodes];
    for (int n = 0; n < nodes; n++) {
      timelines[n] = new NodeTimeline();
      orders.add(new ArrayList<>());
    }
    events = new long[nodes];
    firstTime = new long[nodes];
    lastTime = new long[nodes];
  }

  @Override
  public void accept(int node, long index, Event e) {
    if (events[node]++ == 0) {
      firstTime[node] = e.timeNanos();
    }
    lastTime[node] = e.timeNanos();
    EventType type = e.type();
    if (type == null) {
      return; // a type this version does not know; readers skip those already
    }
    switch (type) {
      case NODE_STARTED, NODE_STOPPED, REMOVE_PEER -> timelines[node].accept(index, e, -1, peer(e));
      case JOIN, LEAVE, GRAFT, PRUNE -> timelines[node].accept(index, e, topic(e.topic()), peer(e));
      case PUBLISH_MESSAGE -> delivery(node, index, e, MessageState.PUBLISH, -1);
      case DELIVER_MESSAGE -> delivery(node, index, e, MessageState.DELIVER, peer(e));
      case GAP_SYNC_FILLED -> delivery(node, index, e, MessageState.SYNC, peer(e));
      case DUPLICATE_MESSAGE -> {
        MessageState m = message(e);
        if (m != null) {
          m.duplicates[node]++;
        }
        timelines[node].touch(index, type, e.timeNanos());
      }
      case SEQUENCE_ASSIGNED -> {
        MessageState m = message(e);
        if (m != null && m.finalSeq == Event.ABSENT) {
          m.finalSeq = e.value();
        }
        timelines[node].touch(index, type, e.timeNanos());
      }
      default -> timelines[node].touch(index, type, e.timeNanos());
    }
  }

  void finish() {
    for (NodeTimeline t : timelines) {
      t.finish();
    }
  }

  private void delivery(int node, long index, Event e, byte how, int from) {
    timelines[node].touch(index, e.type(), e.timeNanos());
    MessageState m = message(e);
    if (m == null) {
      return;
    }
    m.facts(e, e.origin() == null ? -1 : peers.add(e.origin()));
    if (how == MessageState.DELIVER
        && m.envelopePublishNanos == Event.ABSENT
        && e.value() != Event.ABSENT) {
      m.envelopePublishNanos = e.value();
    }
    if (m.deliver(node, index, e.timeNanos(), how, from, e.via())) {
      List<IntList> byTopic = orders.get(node);
      while (byTopic.size() <= m.topic) {
        byTopic.add(new IntList());
      }
      byTopic.get(m.topic).add(m.number);
    }
  }

  /** The message of {@code e}, created when new; null when it has no id or an unwanted topic. */
  private MessageState message(Event e) {
    if (e.messageId() == null) {
      return null;
    }
    int known = messageIds.find(e.messageId());
    if (known >= 0) {
      return messages.get(known);
    }
    int topic = topic(e.topic());
    if (topic < 0) {
      return null;
    }
    int number = messageIds.add(e.messageId());
    MessageState m = new MessageState(number, nodes);
    m.topic = topic;
    messages.add(m);
    return m;
  }

  private int peer(Event e) {
    return e.peer() == null ? -1 : peers.add(e.peer());
  }

  /** The topic's number, or -1 when there is none or it is not wanted. */
  private int topic(String name) {
    if (name == null) {
      return -1;
    }
    Integer n = topicNumbers.get(name);
    if (n != null) {
      return n;
    }
    if (!wantedTopics.isEmpty() && !wantedTopics.contains(name)) {
      return -1;
    }
    topicNumbers.put(name, topicNames.size());
    topicNames.add(name);
    return topicNames.size() - 1;
  }
}
