package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.TopicMXBean;
import io.meshlog.jmx.view.TopicsView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.management.ObjectName;

/**
 * One {@code io.meshlog:type=Topic,name=<topic>} MBean per topic the view lists, kept in step by
 * {@link #refresh()}: new topics get a bean, topics gone lose theirs. A topic whose name is taken
 * (by another node of the JVM) is reported and retried at the next refresh; the others go on.
 *
 * <p>Thread-safe.
 */
public final class TopicBeans {

  private final TopicsView view;
  private final String node;
  private final Registrations registrations;
  private final CounterSet<JmxCounter> counters;
  private final BiConsumer<String, RuntimeException> onError;
  private final Map<String, ObjectName> beans = new HashMap<>(); // guarded by this
  private final Map<String, TopicBean> sampled = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  public TopicBeans(
      TopicsView view,
      String node,
      Registrations registrations,
      CounterSet<JmxCounter> counters,
      BiConsumer<String, RuntimeException> onError) {
    this.view = view;
    this.node = node;
    this.registrations = registrations;
    this.counters = counters;
    this.onError = onError;
  }

  /** Brings the registered topic beans in line with the view's topics. */
  public synchronized void refresh() {
    if (closed) {
      return;
    }
    Set<String> now = new HashSet<>(view.topics());
    List<String> gone = new ArrayList<>();
    for (String t : beans.keySet()) {
      if (!now.contains(t)) {
        gone.add(t);
      }
    }
    for (String t : gone) {
      registrations.unregister(beans.remove(t));
      sampled.remove(t);
    }
    for (String t : now) {
      if (!beans.containsKey(t)) {
        ObjectName name = ObjectNames.topic(t, node);
        try {
          TopicBean bean = new TopicBean(t, view, counters);
          registrations.register(name, NamedParameters.of(bean, TopicMXBean.class, Map.of()));
          beans.put(t, name);
          sampled.put(t, bean);
        } catch (IllegalStateException e) {
          onError.accept("topic " + t, e);
        }
      }
    }
  }

  /** Takes every topic bean's reading for its messages/s rate; {@code nanos} is monotonic. */
  public synchronized void sample(long nanos) {
    if (closed) {
      return;
    }
    for (TopicBean bean : sampled.values()) {
      bean.sample(nanos);
    }
  }

  /** Stops refreshing; the owner unregisters the beans. */
  public synchronized void close() {
    closed = true;
    beans.clear();
    sampled.clear();
  }
}
