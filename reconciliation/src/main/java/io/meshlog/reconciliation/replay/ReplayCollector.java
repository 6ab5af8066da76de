package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.JournalCycle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes the merged stream and keeps per-message state ({@link MessageState}), each node's
 * intervals ({@link NodeTimeline}) and each node's delivery order per topic (message numbers).
 * Nothing here depends on clocks agreeing: every judgement across nodes is made afterwards.
 *
 * <p>Reads the merged events in place: the common records (RPCs, duplicates, pings...) cost a few
 * field reads and a hash lookup, and a whole {@link Event} is decoded only for the deliveries and
 * lifecycle, subscription and mesh records that {@link MessageState} and {@link NodeTimeline} take.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class ReplayCollector implements JournalMerge.ViewConsumer {
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

  /** Topic names as journaled bytes, each mapped to {@link #topic(String)}'s answer for it. */
  private final BytesIndex topicBytes = new BytesIndex();

  private int[] topicOfBytes = new int[16];
  private final Event scratch = new Event();
  private final Set<String> wantedTopics;

  /**
   * meshlog's own control topics (the sequencer's confirmations and submissions): left out unless
   * named with {@code --topic}, since their messages are not anyone's chat and the nodes that do
   * not sequence never join their mesh.
   */
  static final String CONTROL_TOPIC_PREFIX = "_meshlog/";

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
  public void accept(int node, long index, EventView v) {
    long time = v.timeNanos();
    if (events[node]++ == 0) {
      firstTime[node] = time;
    }
    lastTime[node] = time;
    EventType type = v.type();
    if (type == null) {
      return; // a type this version does not know; readers skip those already
    }
    switch (type) {
      case NODE_STARTED, NODE_STOPPED, REMOVE_PEER -> {
        Event e = v.toEvent(scratch);
        timelines[node].accept(index, e, -1, peer(e));
      }
      case JOIN, LEAVE, GRAFT, PRUNE -> {
        Event e = v.toEvent(scratch);
        timelines[node].accept(index, e, topic(e.topic()), peer(e));
      }
      case PUBLISH_MESSAGE -> delivery(node, index, v, MessageState.PUBLISH, false);
      case DELIVER_MESSAGE -> delivery(node, index, v, MessageState.DELIVER, true);
      case GAP_SYNC_FILLED -> delivery(node, index, v, MessageState.SYNC, true);
      case DUPLICATE_MESSAGE -> {
        MessageState m = message(v);
        if (m != null) {
          m.duplicates[node]++;
        }
        timelines[node].touch(index, type, time);
      }
      case EVENTS_NOT_JOURNALED -> timelines[node].notJournaled(index, time, v.value());
      case JOURNAL_CYCLE -> restate(node, index, v);
      case SEQUENCE_ASSIGNED -> {
        MessageState m = message(v);
        if (m != null && m.finalSeq == Event.ABSENT) {
          // Schema 3 carries finalSeq; schema 2 records carried the number in value.
          m.finalSeq = v.finalSeq() != Event.ABSENT ? v.finalSeq() : v.value();
          m.epoch = v.finalSeq() != Event.ABSENT ? v.epoch() : Event.ABSENT;
        }
        timelines[node].touch(index, type, time);
      }
      default -> timelines[node].touch(index, type, time);
    }
  }

  /**
   * A JOURNAL_CYCLE: the topics the node had joined and their mesh peers when a cycle file began,
   * restated for a journal whose older cycles (with the JOINs and GRAFTs) are gone. One that cannot
   * be read only counts as an event.
   */
  private void restate(int node, long index, EventView v) {
    timelines[node].touch(index, EventType.JOURNAL_CYCLE, v.timeNanos());
    JournalCycle cycle = JournalCycle.tryDecode(v.toEvent(scratch).data()).orElse(null);
    if (cycle == null) {
      return;
    }
    for (JournalCycle.Topic t : cycle.topics()) {
      int topic = topic(t.topic());
      if (topic < 0) {
        continue;
      }
      int[] mesh = new int[t.mesh().size()];
      for (int i = 0; i < mesh.length; i++) {
        mesh[i] = peers.add(t.mesh().get(i));
      }
      timelines[node].restate(index, v.timeNanos(), topic, mesh);
    }
  }

  void finish() {
    for (NodeTimeline t : timelines) {
      t.finish();
    }
  }

  private void delivery(int node, long index, EventView v, byte how, boolean withForwarder) {
    // The forwarder gets its peer number first, even for a message not kept: numbering as before.
    int from = withForwarder ? bytes(peers, v.peerOffset(), v.peerLength(), v) : -1;
    timelines[node].touch(index, v.type(), v.timeNanos());
    MessageState m = message(v);
    if (m == null) {
      return;
    }
    m.facts(v.originSeqno(), v.lamport(), bytes(peers, v.originOffset(), v.originLength(), v));
    if (how == MessageState.DELIVER
        && m.envelopePublishNanos == Event.ABSENT
        && v.value() != Event.ABSENT) {
      m.envelopePublishNanos = v.value();
    }
    if (m.deliver(node, index, v.timeNanos(), how, from, v.via())) {
      List<IntList> byTopic = orders.get(node);
      while (byTopic.size() <= m.topic) {
        byTopic.add(new IntList());
      }
      byTopic.get(m.topic).add(m.number);
    }
  }

  /** The number of the bytes at {@code offset} in {@code index}, added when new; -1 when absent. */
  private static int bytes(BytesIndex index, int offset, int length, EventView v) {
    return length < 0 ? -1 : index.add(v.buffer(), offset, length);
  }

  /** The message of {@code v}, created when new; null when it has no id or an unwanted topic. */
  private MessageState message(EventView v) {
    if (v.messageIdLength() < 0) {
      return null;
    }
    int known = messageIds.find(v.buffer(), v.messageIdOffset(), v.messageIdLength());
    if (known >= 0) {
      return messages.get(known);
    }
    int topic = topic(v);
    if (topic < 0) {
      return null;
    }
    int number = messageIds.add(v.buffer(), v.messageIdOffset(), v.messageIdLength());
    MessageState m = new MessageState(number, nodes);
    m.topic = topic;
    messages.add(m);
    return m;
  }

  private int peer(Event e) {
    return e.peer() == null ? -1 : peers.add(e.peer());
  }

  /** The topic of {@code v} by its bytes, decoding a name only the first time it is seen. */
  private int topic(EventView v) {
    int length = v.topicLength();
    if (length < 0) {
      return -1;
    }
    int known = topicBytes.find(v.buffer(), v.topicOffset(), length);
    if (known >= 0) {
      return topicOfBytes[known];
    }
    known = topicBytes.add(v.buffer(), v.topicOffset(), length);
    if (known == topicOfBytes.length) {
      topicOfBytes = Arrays.copyOf(topicOfBytes, known * 2);
    }
    topicOfBytes[known] = topic(v.topic());
    return topicOfBytes[known];
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
    if (wantedTopics.isEmpty()
        ? name.startsWith(CONTROL_TOPIC_PREFIX)
        : !wantedTopics.contains(name)) {
      return -1;
    }
    topicNumbers.put(name, topicNames.size());
    topicNames.add(name);
    return topicNames.size() - 1;
  }
}
