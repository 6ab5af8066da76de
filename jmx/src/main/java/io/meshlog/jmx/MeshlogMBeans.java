package io.meshlog.jmx;

import io.meshlog.jmx.internal.Counters;
import io.meshlog.jmx.internal.EventLogBean;
import io.meshlog.jmx.internal.GatedEmitter;
import io.meshlog.jmx.internal.GossipsubBean;
import io.meshlog.jmx.internal.NamedParameters;
import io.meshlog.jmx.internal.NodeBean;
import io.meshlog.jmx.internal.PeersBean;
import io.meshlog.jmx.internal.TopicBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
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
 *   io.meshlog:type=Gossipsub           D, D_lo, D_hi, thresholds   (GossipControl)
 * </pre>
 *
 * <p>One daemon thread ({@code meshlog-jmx-sampler}) wakes once per sampling interval to compute
 * events/s, notice health changes (notifying listeners), and register or unregister Topic MBeans as
 * topics come and go. Attribute reads go straight to the views.
 *
 * <p>Thread-safe. {@link #unregisterAll()} (or {@link #close()}) stops the sampler and removes
 * every MBean registered here; it is idempotent.
 */
public final class MeshlogMBeans implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeshlogMBeans.class);

  public static final String DOMAIN = "io.meshlog";
  public static final ObjectName EVENT_LOG = name("type=EventLog");
  public static final ObjectName NODE = name("type=Node");
  public static final ObjectName PEERS = name("type=Peers");
  public static final ObjectName GOSSIPSUB = name("type=Gossipsub");

  /** Default sampling interval: the events/s figure is the average over it. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final MBeanServer server;
  private final MeshlogViews views;
  private final Counters counters = new Counters();
  private final Set<ObjectName> registered = new LinkedHashSet<>(); // guarded by this
  private final Map<String, ObjectName> topicBeans = new HashMap<>(); // guarded by this
  private final ScheduledExecutorService sampler;
  private final MeshlogNotifications notifications;
  private EventLogBean eventLogBean;
  private NodeBean nodeBean;
  private boolean closed; // guarded by this

  private MeshlogMBeans(MBeanServer server, MeshlogViews views) {
    this.server = server;
    this.views = views;
    GatedEmitter nodeEmitter =
        views.node() == null
            ? null
            : new GatedEmitter(
                NODE,
                counters,
                info(
                    "peers and mesh changes, node health",
                    MeshlogNotifications.PEER_CONNECTED,
                    MeshlogNotifications.PEER_DISCONNECTED,
                    MeshlogNotifications.GRAFT,
                    MeshlogNotifications.PRUNE,
                    MeshlogNotifications.HEALTH_CHANGED));
    this.notifications = new MeshlogNotifications(nodeEmitter);
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-jmx-sampler");
              t.setDaemon(true);
              return t;
            });
    if (views.eventLog() != null) {
      GatedEmitter emitter =
          new GatedEmitter(
              EVENT_LOG, counters, info("journal health", MeshlogNotifications.HEALTH_CHANGED));
      eventLogBean = new EventLogBean(views.eventLog(), counters, emitter);
      register(
          EVENT_LOG,
          NamedParameters.emitting(eventLogBean, EventLogMXBean.class, emitter, Map.of()));
    }
    if (views.node() != null) {
      nodeBean = new NodeBean(views.node(), counters, nodeEmitter);
      register(
          NODE,
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
          PEERS,
          NamedParameters.of(
              new PeersBean(views.peers(), counters), PeersMXBean.class, false, Map.of()));
    }
    if (views.gossip() != null) {
      register(
          GOSSIPSUB,
          NamedParameters.of(
              new GossipsubBean(views.gossip(), counters), GossipsubMXBean.class, Map.of()));
    }
  }

  /** As {@link #register(MBeanServer, MeshlogViews, Duration)} with a one-second interval. */
  public static MeshlogMBeans register(MBeanServer server, MeshlogViews views) {
    return register(server, views, DEFAULT_INTERVAL);
  }

  /**
   * Registers an MBean for every non-null view and starts the sampler.
   *
   * @throws IllegalStateException when an MBean cannot be registered (e.g. another node in this JVM
   *     holds its name), naming it; nothing stays registered
   */
  public static MeshlogMBeans register(
      MBeanServer server, MeshlogViews views, Duration sampleInterval) {
    if (sampleInterval.isNegative() || sampleInterval.isZero()) {
      throw new IllegalArgumentException("invalid jmx.sampleInterval: " + sampleInterval);
    }
    MeshlogMBeans beans = new MeshlogMBeans(server, views);
    try {
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
  public synchronized Set<ObjectName> names() {
    return Set.copyOf(registered);
  }

  public long counter(JmxCounter counter) {
    return counters.get(counter);
  }

  /** The ObjectName of a topic's MBean. */
  public static ObjectName topicName(String topic) {
    return name("type=Topic,name=" + quoteIfNeeded(topic));
  }

  /**
   * Registers an MBean for every topic the topics view lists and unregisters those it no longer
   * lists. The sampler does this every interval; tests and tools may call it to not wait.
   */
  public synchronized void refreshTopics() {
    if (views.topics() == null || closed) {
      return;
    }
    Set<String> now = new HashSet<>(views.topics().topics());
    List<String> gone = new ArrayList<>();
    for (String t : topicBeans.keySet()) {
      if (!now.contains(t)) {
        gone.add(t);
      }
    }
    for (String t : gone) {
      unregister(topicBeans.remove(t));
    }
    for (String t : now) {
      if (!topicBeans.containsKey(t)) {
        ObjectName n = topicName(t);
        register(
            n,
            NamedParameters.of(
                new TopicBean(t, views.topics(), counters), TopicMXBean.class, Map.of()));
        topicBeans.put(t, n);
      }
    }
  }

  /** One sampler pass; each part is guarded so that one failing view does not starve the rest. */
  private void sample() {
    if (eventLogBean != null) {
      guarded("event log", () -> eventLogBean.sample(System.nanoTime()));
    }
    if (nodeBean != null) {
      guarded("node", nodeBean::sample);
    }
    guarded("topics", this::refreshTopics);
  }

  private void guarded(String what, Runnable part) {
    try {
      part.run();
    } catch (RuntimeException e) {
      long errors = counters.get(JmxCounter.SAMPLER_ERRORS);
      counters.increment(JmxCounter.SAMPLER_ERRORS);
      // A broken view fails every second; the first failures say why, later ones only count.
      if (errors < 10) {
        LOG.warn("JMX sampling of the {} failed: {}", what, e.toString());
      }
    }
  }

  private synchronized void register(ObjectName name, Object mbean) {
    try {
      server.registerMBean(mbean, name);
      registered.add(name);
    } catch (JMException e) {
      unregisterAll();
      throw new IllegalStateException("cannot register MBean " + name + ": " + e, e);
    }
  }

  private synchronized void unregister(ObjectName name) {
    registered.remove(name);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (JMException e) {
      LOG.warn("Unregistering MBean {}: {}", name, e.toString());
    }
  }

  /** Stops the sampler and unregisters every MBean registered here. Idempotent. */
  public void unregisterAll() {
    sampler.shutdownNow();
    synchronized (this) {
      closed = true;
      for (ObjectName n : List.copyOf(registered)) {
        unregister(n);
      }
      topicBeans.clear();
    }
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

  private static String quoteIfNeeded(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
        return ObjectName.quote(value);
      }
    }
    return value.isEmpty() ? ObjectName.quote(value) : value;
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
