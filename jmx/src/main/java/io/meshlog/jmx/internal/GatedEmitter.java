package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A notification emitter that knows whether anyone listens, so that callers build notifications
 * only while a console (or any listener) is registered:
 *
 * <pre>
 *   if (emitter.active()) emitter.emit(type, message, data);   // nothing built otherwise
 * </pre>
 *
 * <p>"Someone listens" is JMX's view. The JDK's RMI connector keeps one notification buffer per
 * connector server: from the first time any client subscribes to any notification until the
 * connector stops, the buffer listens to every emitting MBean and filters per client when clients
 * fetch. So nothing is built until a console subscribes; afterwards notifications are built (a few
 * per peer or mesh change, cheap) until the connector stops.
 *
 * <p>Notifications are delivered on the caller's thread; JMX's own listeners (the remote
 * connector's buffer) only queue them.
 *
 * <p>Thread-safe.
 */
public final class GatedEmitter extends NotificationBroadcasterSupport {

  private record ListenerEntry(
      NotificationListener listener, NotificationFilter filter, Object handback) {}

  private final ObjectName source;
  private final CounterSet<JmxCounter> counters;
  private final AtomicLong sequence = new AtomicLong();
  private final List<ListenerEntry> registrations = new ArrayList<>(); // guarded by this
  private volatile boolean active;

  public GatedEmitter(
      ObjectName source, CounterSet<JmxCounter> counters, MBeanNotificationInfo... info) {
    super(info);
    this.source = source;
    this.counters = counters;
  }

  /** True while at least one listener is registered. */
  public boolean active() {
    return active;
  }

  /** Builds and sends one notification; call only when {@link #active()}. */
  public void emit(String type, String message, CompositeData data) {
    Notification n =
        new Notification(
            type, source, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    n.setUserData(data);
    counters.increment(JmxCounter.NOTIFICATIONS_SENT);
    sendNotification(n);
  }

  @Override
  public void addNotificationListener(
      NotificationListener listener, NotificationFilter filter, Object handback) {
    super.addNotificationListener(listener, filter, handback);
    synchronized (this) {
      registrations.add(new ListenerEntry(listener, filter, handback));
      active = true;
    }
  }

  @Override
  public void removeNotificationListener(NotificationListener listener)
      throws ListenerNotFoundException {
    super.removeNotificationListener(listener);
    synchronized (this) {
      registrations.removeIf(r -> r.listener() == listener);
      active = !registrations.isEmpty();
    }
  }

  @Override
  public void removeNotificationListener(
      NotificationListener listener, NotificationFilter filter, Object handback)
      throws ListenerNotFoundException {
    super.removeNotificationListener(listener, filter, handback);
    synchronized (this) {
      for (int i = 0; i < registrations.size(); i++) {
        ListenerEntry r = registrations.get(i);
        if (r.listener() == listener
            && Objects.equals(r.filter(), filter)
            && Objects.equals(r.handback(), handback)) {
          registrations.remove(i);
          break;
        }
      }
      active = !registrations.isEmpty();
    }
  }
}
