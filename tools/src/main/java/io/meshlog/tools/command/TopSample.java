package io.meshlog.tools.command;

import io.meshlog.jmx.view.Health;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One reading of a node's MBeans for {@code meshlog top}: totals only, as the node reports them.
 * Rates are not read but computed from two samples ({@link TopFrame}), so that every rate top shows
 * covers exactly its own refresh interval.
 *
 * @param nanos {@link System#nanoTime()} when the reading ended
 * @param epochMillis wall-clock time of the reading
 */
record TopSample(
    long nanos,
    long epochMillis,
    Node node,
    JournalSample journal,
    List<Topic> topics,
    List<Peer> peers) {

  private static final ObjectName NODE = name("io.meshlog:type=Node");
  private static final ObjectName EVENT_LOG = name("io.meshlog:type=EventLog");
  private static final ObjectName EVENTS_APPENDED =
      name("io.meshlog:type=Metrics,name=meshlog.journal.events.appended");
  private static final ObjectName TOPICS = name("io.meshlog:type=Topic,*");
  private static final ObjectName PEERS = name("io.meshlog:type=Peer,*");

  /** {@code io.meshlog:type=Node}; {@code health} is healthy, degraded or failed. */
  record Node(
      String peerId,
      String agentVersion,
      long uptimeSeconds,
      String health,
      String healthReason,
      boolean sequencerReachable,
      List<String> listenAddresses) {}

  /**
   * {@code io.meshlog:type=EventLog} and the {@code meshlog.journal.events.appended} meter ({@code
   * eventsAppended} -1 when the node exports no meters).
   */
  record JournalSample(
      long appendedIndex,
      long appliedIndex,
      long lag,
      long eventsAppended,
      long sizeBytes,
      long ringRemainingCapacity,
      long backpressureStalls) {}

  /** One {@code io.meshlog:type=Topic,name=<topic>}. */
  record Topic(
      String topic,
      boolean subscribed,
      int meshPeers,
      long messages,
      long duplicates,
      long rejects,
      double latencyP50Millis,
      double latencyP99Millis,
      double latencyMaxMillis,
      String lastReceived,
      long unconfirmed,
      long lastFinalSeq) {}

  /** One {@code io.meshlog:type=Peer,name=<peer id>}. */
  record Peer(
      String peerId,
      String direction,
      String connectionType,
      String remoteAddress,
      String agent,
      List<String> topics,
      String graylisted,
      double rttMillis,
      double score,
      long messagesIn,
      long messagesOut,
      long bytesIn,
      long bytesOut) {}

  /**
   * Reads every figure of the node behind {@code c}. A topic or peer that goes away between its
   * listing and its reading is left out.
   *
   * @throws Exception what the connection throws (the node went away, refused a call)
   */
  static TopSample read(MBeanServerConnection c) throws Exception {
    Map<String, Object> n =
        values(
            c,
            NODE,
            "PeerId",
            "AgentVersion",
            "UptimeSeconds",
            "Health",
            "HealthReason",
            "SequencerReachable",
            "ListenAddresses");
    Node node =
        new Node(
            text(n, "PeerId"),
            text(n, "AgentVersion"),
            number(n, "UptimeSeconds").longValue(),
            Health.State.valueOf(text(n, "Health")).status(),
            text(n, "HealthReason"),
            Boolean.TRUE.equals(n.get("SequencerReachable")),
            strings(n.get("ListenAddresses")));
    Map<String, Object> e =
        values(
            c,
            EVENT_LOG,
            "AppendedIndex",
            "ProjectionAppliedIndex",
            "ProjectionLag",
            "JournalSizeBytes",
            "RingRemainingCapacity",
            "BackpressureStalls");
    long appended = -1;
    if (c.isRegistered(EVENTS_APPENDED)) {
      appended = ((Number) c.getAttribute(EVENTS_APPENDED, "Value")).longValue();
    }
    JournalSample journal =
        new JournalSample(
            number(e, "AppendedIndex").longValue(),
            number(e, "ProjectionAppliedIndex").longValue(),
            number(e, "ProjectionLag").longValue(),
            appended,
            number(e, "JournalSizeBytes").longValue(),
            number(e, "RingRemainingCapacity").longValue(),
            number(e, "BackpressureStalls").longValue());
    List<Topic> topics = new ArrayList<>();
    for (ObjectName t : ownNames(c, TOPICS)) {
      Map<String, Object> v =
          values(
              c,
              t,
              "Topic",
              "Subscribed",
              "MeshPeers",
              "MessageCount",
              "Duplicates",
              "Rejects",
              "DeliveryLatencyP50Millis",
              "DeliveryLatencyP99Millis",
              "DeliveryLatencyMaxMillis",
              "LastReceived",
              "Unconfirmed",
              "LastFinalSeq");
      if (v != null) {
        topics.add(
            new Topic(
                text(v, "Topic"),
                Boolean.TRUE.equals(v.get("Subscribed")),
                number(v, "MeshPeers").intValue(),
                number(v, "MessageCount").longValue(),
                number(v, "Duplicates").longValue(),
                number(v, "Rejects").longValue(),
                number(v, "DeliveryLatencyP50Millis").doubleValue(),
                number(v, "DeliveryLatencyP99Millis").doubleValue(),
                number(v, "DeliveryLatencyMaxMillis").doubleValue(),
                text(v, "LastReceived"),
                number(v, "Unconfirmed").longValue(),
                number(v, "LastFinalSeq").longValue()));
      }
    }
    topics.sort(Comparator.comparing(Topic::topic));
    List<Peer> peers = new ArrayList<>();
    for (ObjectName p : ownNames(c, PEERS)) {
      Map<String, Object> v =
          values(
              c,
              p,
              "PeerId",
              "Direction",
              "ConnectionType",
              "RemoteAddress",
              "Agent",
              "Topics",
              "Graylisted",
              "RttMillis",
              "Score",
              "MessagesIn",
              "MessagesOut",
              "BytesIn",
              "BytesOut");
      if (v != null) {
        peers.add(
            new Peer(
                text(v, "PeerId"),
                text(v, "Direction"),
                text(v, "ConnectionType"),
                text(v, "RemoteAddress"),
                text(v, "Agent"),
                strings(v.get("Topics")),
                text(v, "Graylisted"),
                number(v, "RttMillis").doubleValue(),
                number(v, "Score").doubleValue(),
                number(v, "MessagesIn").longValue(),
                number(v, "MessagesOut").longValue(),
                number(v, "BytesIn").longValue(),
                number(v, "BytesOut").longValue()));
      }
    }
    peers.sort(Comparator.comparing(Peer::peerId));
    return new TopSample(
        System.nanoTime(), System.currentTimeMillis(), node, journal, topics, peers);
  }

  /** The names matching {@code pattern} of this process's node (not a demo's other nodes). */
  private static List<ObjectName> ownNames(MBeanServerConnection c, ObjectName pattern)
      throws Exception {
    List<ObjectName> own = new ArrayList<>();
    for (ObjectName n : c.queryNames(pattern, null)) {
      if (n.getKeyProperty("node") == null) {
        own.add(n);
      }
    }
    return own;
  }

  /** The attributes by name, null when the MBean is gone (a peer that just disconnected). */
  private static Map<String, Object> values(
      MBeanServerConnection c, ObjectName bean, String... names) throws Exception {
    Map<String, Object> values = new HashMap<>();
    try {
      for (Attribute a : c.getAttributes(bean, names).asList()) {
        values.put(a.getName(), a.getValue());
      }
    } catch (InstanceNotFoundException e) {
      if (bean.isPattern() || bean.getKeyProperty("name") != null) {
        return null;
      }
      throw e;
    }
    for (String name : names) {
      if (!values.containsKey(name)) {
        // getAttributes leaves out what it could not read; a missing figure is a fault to name.
        throw new IllegalStateException(bean + " did not give its attribute " + name);
      }
    }
    return values;
  }

  private static String text(Map<String, Object> values, String name) {
    Object v = values.get(name);
    return v == null ? "" : v.toString();
  }

  private static Number number(Map<String, Object> values, String name) {
    return (Number) values.get(name);
  }

  private static List<String> strings(Object value) {
    if (value instanceof String[] a) {
      return List.of(a);
    }
    if (value instanceof String s) {
      return s.isEmpty() ? List.of() : List.of(s.split(","));
    }
    return List.of();
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }
}
