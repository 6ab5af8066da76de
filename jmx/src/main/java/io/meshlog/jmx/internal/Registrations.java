package io.meshlog.jmx.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MBeans one owner registered, so that it removes exactly those. Thread-safe. */
public final class Registrations {

  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);

  private final MBeanServer server;
  private final Set<ObjectName> names = new LinkedHashSet<>(); // guarded by this

  public Registrations(MBeanServer server) {
    this.server = server;
  }

  /**
   * Registers {@code mbean} under {@code name}.
   *
   * @throws IllegalStateException naming the MBean when it cannot be registered (name taken)
   */
  public synchronized void register(ObjectName name, Object mbean) {
    try {
      server.registerMBean(mbean, name);
      names.add(name);
    } catch (JMException e) {
      throw new IllegalStateException("cannot register MBean " + name + ": " + e, e);
    }
  }

  /** Unregisters one MBean registered here; a failure is logged, not thrown. */
  public synchronized void unregister(ObjectName name) {
    if (!names.remove(name)) {
      return;
    }
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (JMException e) {
      LOG.warn("Unregistering MBean {}: {}", name, e.toString());
    }
  }

  /** Unregisters every MBean registered here. */
  public synchronized void unregisterAll() {
    for (ObjectName n : List.copyOf(names)) {
      unregister(n);
    }
  }

  public synchronized Set<ObjectName> names() {
    return Set.copyOf(names);
  }
}
