package io.meshlog.jmx;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.DirectoryMXBean;
import io.meshlog.jmx.api.EventLogMXBean;
import io.meshlog.jmx.api.GossipsubMXBean;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.NodeMXBean;
import io.meshlog.jmx.api.PeersMXBean;
import io.meshlog.jmx.api.RegistryMXBean;
import io.meshlog.jmx.internal.DirectoryBean;
import io.meshlog.jmx.internal.EventLogBean;
import io.meshlog.jmx.internal.GatedEmitter;
import io.meshlog.jmx.internal.GossipsubBean;
import io.meshlog.jmx.internal.GraylistWatch;
import io.meshlog.jmx.internal.NamedParameters;
import io.meshlog.jmx.internal.NodeBean;
import io.meshlog.jmx.internal.ObjectNames;
import io.meshlog.jmx.internal.PeerBeans;
import io.meshlog.jmx.internal.PeersBean;
import io.meshlog.jmx.internal.Registrations;
import io.meshlog.jmx.internal.RegistryBean;
import io.meshlog.jmx.internal.TopicBeans;
import io.meshlog.jmx.view.MeshlogViews;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers meshlog's MBeans over a set of views and keeps them current:
 *
 * <pre>
 *   io.meshlog:type=EventLog            journal + projections      (EventLogView)
 *   io.meshlog:type=Node                identity, health, ops       (NodeView)      + notifications
 *   io.meshlog:type=Peers               table of connected peers    (PeersView)
 *   io.meshlog:type=Topic,name=&lt;t&gt;      one per topic               (TopicsView)
 *   io.meshlog:type=Peer,name=&lt;peer&gt;    one per connected peer      (PeersView, LatencyView)
 *   io.meshlog:type=Gossipsub           D, D_lo, D_hi, thresholds   (GossipControl)
 *   io.meshlog:type=Directory           registrations per topic     (DirectoryView, role directory)
 *   io.meshlog:type=PeerRegistry        the peers the node knows    (RegistryView)
 * </pre>
 *
 * <p>One daemon thread ({@code meshlog-jmx-sampler}) wakes once per sampling interval to compute
 * events/s, notice health changes and newly graylisted peers (notifying listeners), register or
 * unregister Topic MBeans as topics come and go and Peer MBeans as peers connect and disconnect,
 * and take each peer's figures and rates. Attribute reads go straight to the views.
 *
 * <p>Thread-safe. {@link #unregisterAll()} (or {@link #close()}) stops the sampler and removes
 * every MBean registered here; it is idempotent.
 */
public final class MeshlogMBeans implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeshlogMBeans.class);

  public static final String DOMAIN = ObjectNames.DOMAIN;
  public static final ObjectName EVENT_LOG = ObjectNames.of("EventLog", null);
  public static final ObjectName NODE = ObjectNames.of("Node", null);
  public static final ObjectName PEERS = ObjectNames.of("Peers", null);
  public static final ObjectName GOSSIPSUB = ObjectNames.of("Gossipsub", null);
  public static final ObjectName DIRECTORY = ObjectNames.of("Directory", null);
  public static final ObjectName PEER_REGISTRY = ObjectNames.of("PeerRegistry", null);

  /** Default sampling interval: the events/s figure is the average over it. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final MeshlogViews views;
  private final String node;
  private final CounterSet<JmxCounter> counters = CounterSet.of(JmxCounter.class);
  private final Registrations registrations;
  private final TopicBeans topicBeans;
  private final PeerBeans peerBeans;
  private final ScheduledExecutorService sampler;
  private final GatedEmitter nodeEmitter;
  private final MeshlogNotifications notifications;
  private final GraylistWatch graylistWatch;
  private EventLogBean eventLogBean;
  private NodeBean nodeBean;

  private MeshlogMBeans(MBeanServer server, MeshlogViews views, String node) {
    this.views = views;
    this.node = node;
    this.registrations = new Registrations(server);
    this.topicBeans =
        views.topics() == null
            ? null
            : new TopicBeans(
                views.topics(), node, registrations, counters, this::countSamplerError);
    this.peerBeans =
        views.peers() == null
            ? null
            : new PeerBeans(
                views.peers(), views.latencies(), node, registrations, this::countSamplerError);
    this.nodeEmitter =
        views.node() == null
            ? null
            : new GatedEmitter(
                objectName("Node", node),
                counters,
                info(
                    "peers and mesh changes, node health",
                    MeshlogNotifications.PEER_CONNECTED,
                    MeshlogNotifications.PEER_DISCONNECTED,
                    MeshlogNotifications.GRAFT,
                    MeshlogNotifications.PRUNE,
                    MeshlogNotifications.PEER_GRAYLISTED,
                    MeshlogNotifications.HEALTH_CHANGED));
    this.notifications = new MeshlogNotifications(nodeEmitter);
    this.graylistWatch =
        views.peers() == null || nodeEmitter == null
            ? null
            : new GraylistWatch(views.peers(), notifications::peerGraylisted);
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-jmx-sampler");
              t.setDaemon(true);
              return t;
            });
  }

  private void registerBeans() {
    if (views.eventLog() != null) {
      ObjectName name = objectName("EventLog", node);
      GatedEmitter emitter =
          new GatedEmitter(
              name,
              counters,
              info(
                  "journal health, unshipped cycle files deleted",
                  MeshlogNotifications.HEALTH_CHANGED,
                  MeshlogNotifications.UNSHIPPED_DELETED));
      eventLogBean = new EventLogBean(views.eventLog(), counters, emitter);
      register(
          name, NamedParameters.emitting(eventLogBean, EventLogMXBean.class, emitter, Map.of()));
    }
    if (views.node() != null) {
      nodeBean = new NodeBean(views.node(), counters, nodeEmitter);
      register(
          objectName("Node", node),
          NamedParameters.emitting(
              nodeBean,
              NodeMXBean.class,
              nodeEmitter,
              Map.of(
                  "publishTestMessage", new String[] {"topic", "text"},
                  "ping", new String[] {"peerId"},
                  "connect", new String[] {"multiaddr"},
                  "disconnect", new String[] {"peerId"})));
    }
    if (views.peers() != null) {
      register(
          objectName("Peers", node),
          NamedParameters.of(
              new PeersBean(views.peers(), counters), PeersMXBean.class, false, Map.of()));
    }
    if (views.gossip() != null) {
      register(
          objectName("Gossipsub", node),
          NamedParameters.of(
              new GossipsubBean(views.gossip(), counters), GossipsubMXBean.class, Map.of()));
    }
    if (views.registry() != null) {
      // Not an MXBean: the table is an open type already (see PeersBean).
      register(
          objectName("PeerRegistry", node),
          NamedParameters.of(
              new RegistryBean(views.registry(), counters), RegistryMXBean.class, false, Map.of()));
    }
    if (views.directory() != null) {
      // Not an MXBean: the tables are open types already (see PeersBean).
      register(
          objectName("Directory", node),
          NamedParameters.of(
              new DirectoryBean(views.directory(), counters),
              DirectoryMXBean.class,
              false,
              Map.of(
                  "registrations", new String[] {"topic"},
                  "discover", new String[] {"topic"},
                  "unregister", new String[] {"peerId", "topic"})));
    }
  }

  /** As {@link #register(MBeanServer, MeshlogViews, Duration)} with a one-second interval. */
  public static MeshlogMBeans register(MBeanServer server, MeshlogViews views) {
    return register(server, views, DEFAULT_INTERVAL);
  }

  /**
   * As {@link #register(MBeanServer, MeshlogViews, Duration, String)} for the one node of a JVM.
   */
  public static MeshlogMBeans register(
      MBeanServer server, MeshlogViews views, Duration sampleInterval) {
    return register(server, views, sampleInterval, null);
  }

  /**
   * Registers an MBean for every non-null view and starts the sampler.
   *
   * @param node null for the usual one node per JVM; otherwise a name added to every ObjectName as
   *     {@code ,node=<name>}, so that several nodes can share a JVM (a local demo mesh)
   * @throws IllegalStateException when an MBean cannot be registered (e.g. another node in this JVM
   *     holds its name), naming it; nothing stays registered
   */
  public static MeshlogMBeans register(
      MBeanServer server, MeshlogViews views, Duration sampleInterval, String node) {
    if (sampleInterval.isNegative() || sampleInterval.isZero()) {
      throw new IllegalArgumentException("invalid jmx.sampleInterval: " + sampleInterval);
    }
    if (node != null && node.isEmpty()) {
      throw new IllegalArgumentException("invalid node name: empty");
    }
    MeshlogMBeans beans = new MeshlogMBeans(server, views, node);
    try {
      beans.registerBeans();
      beans.refreshTopics();
    } catch (RuntimeException e) {
      beans.unregisterAll();
      throw e;
    }
    long nanos = sampleInterval.toNanos();
    beans.sampler.scheduleAtFixedRate(beans::sample, 0, nanos, TimeUnit.NANOSECONDS);
    return beans;
  }

  /** Emits the node's notifications (a no-op without a node view or without listeners). */
  public MeshlogNotifications notifications() {
    return notifications;
  }

  /** The names of every MBean registered here now. */
  public Set<ObjectName> names() {
    return registrations.names();
  }

  public long counter(JmxCounter counter) {
    return counters.get(counter);
  }

  /** The ObjectName of a topic's MBean, for the one node of a JVM. */
  public static ObjectName topicName(String topic) {
    return topicName(topic, null);
  }

  /** The ObjectName of a topic's MBean of a named node (null: the one node of a JVM). */
  public static ObjectName topicName(String topic, String node) {
    return ObjectNames.topic(topic, node);
  }

  /** The ObjectName of a connected peer's MBean of a named node (null: the one node of a JVM). */
  public static ObjectName peerName(String peerId, String node) {
    return ObjectNames.peer(peerId, node);
  }

  /**
   * The ObjectName of one of the node's MBeans: {@code io.meshlog:type=<type>[,node=<node>]}.
   *
   * @param type EventLog, Node, Peers, Gossipsub or Directory
   * @param node null for the one node of a JVM
   */
  public static ObjectName objectName(String type, String node) {
    return ObjectNames.of(type, node);
  }

  /**
   * Registers an MBean for every topic the topics view lists and unregisters those it no longer
   * lists. The sampler does this every interval; tests and tools may call it to not wait.
   */
  public void refreshTopics() {
    if (topicBeans != null) {
      topicBeans.refresh();
    }
  }

  /**
   * Registers a Peer MBean for every connected peer, unregisters those of peers gone and updates
   * the figures and rates of the rest. The sampler does this every interval.
   */
  public void refreshPeers() {
    if (peerBeans != null) {
      peerBeans.refresh(System.nanoTime());
    }
  }

  /** One sampler pass; each part is guarded so that one failing view does not starve the rest. */
  private void sample() {
    try {
      if (eventLogBean != null) {
        guarded("event log", eventLogBean::sample);
      }
      if (nodeBean != null) {
        guarded("node", nodeBean::sample);
      }
      guarded("topics", this::refreshTopics);
      if (topicBeans != null) {
        guarded("topic rates", () -> topicBeans.sample(System.nanoTime()));
      }
      guarded("peers", this::refreshPeers);
      if (graylistWatch != null) {
        guarded("graylisted peers", graylistWatch::sample);
      }
    } catch (Error e) {
      // The executor would swallow it and silently never run again: say so, then let it go.
      counters.increment(JmxCounter.SAMPLER_ERRORS);
      LOG.error("JMX sampler stopped: events/s, health notifications and topic beans freeze", e);
      throw e;
    }
  }

  private void guarded(String what, Runnable part) {
    try {
      part.run();
    } catch (RuntimeException e) {
      countSamplerError(what, e);
    }
  }

  private void countSamplerError(String what, RuntimeException e) {
    long errors = counters.get(JmxCounter.SAMPLER_ERRORS);
    counters.increment(JmxCounter.SAMPLER_ERRORS);
    // A broken view fails every interval; the first failures say why, later ones only count.
    if (errors < 10) {
      LOG.warn("JMX sampling of the {} failed: {}", what, e.toString());
    }
  }

  private void register(ObjectName name, Object mbean) {
    registrations.register(name, mbean);
  }

  /** Stops the sampler and unregisters every MBean registered here. Idempotent. */
  public void unregisterAll() {
    sampler.shutdownNow();
    if (topicBeans != null) {
      topicBeans.close();
    }
    if (peerBeans != null) {
      peerBeans.close();
    }
    registrations.unregisterAll();
  }

  @Override
  public void close() {
    unregisterAll();
  }

  private static MBeanNotificationInfo[] info(String description, String... types) {
    return new MBeanNotificationInfo[] {
      new MBeanNotificationInfo(types, Notification.class.getName(), description)
    };
  }
}
