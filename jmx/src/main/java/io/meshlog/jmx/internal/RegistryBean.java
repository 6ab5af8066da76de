package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.RegistryMXBean;
import io.meshlog.jmx.view.RegistryEntryInfo;
import io.meshlog.jmx.view.RegistryView;
import java.util.List;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * {@code io.meshlog:type=PeerRegistry} over a {@link RegistryView}. Times are ISO-8601 strings and
 * addresses one string, because consoles show dates and arrays inside table cells as opaque values.
 * Thread-safe.
 */
public final class RegistryBean implements RegistryMXBean {

  private static final String[] COLUMNS = {
    "peerId",
    "reliability",
    "firstSeen",
    "lastSeen",
    "lastConnected",
    "successes",
    "failures",
    "failureStreak",
    "directory",
    "addresses"
  };
  private static final OpenType<?>[] TYPES = {
    SimpleType.STRING,
    SimpleType.DOUBLE,
    SimpleType.STRING,
    SimpleType.STRING,
    SimpleType.STRING,
    SimpleType.LONG,
    SimpleType.LONG,
    SimpleType.INTEGER,
    SimpleType.BOOLEAN,
    SimpleType.STRING
  };
  private static final CompositeType ROW;
  private static final TabularType TABLE;

  static {
    try {
      ROW = new CompositeType("io.meshlog.KnownPeer", "one known peer", COLUMNS, COLUMNS, TYPES);
      TABLE =
          new TabularType(
              "io.meshlog.PeerRegistry", "the peers this node knows", ROW, new String[] {"peerId"});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RegistryView view;
  private final ViewCalls calls;

  public RegistryBean(RegistryView view, CounterSet<JmxCounter> counters) {
    this.view = view;
    this.calls = new ViewCalls(counters);
  }

  @Override
  public int getPeerCount() {
    return calls.call(view::entries).size();
  }

  @Override
  public TabularData getPeers() {
    List<RegistryEntryInfo> entries = calls.call(view::entries);
    TabularDataSupport table = new TabularDataSupport(TABLE);
    try {
      for (RegistryEntryInfo e : entries) {
        Object[] values = {
          e.peerId(),
          e.reliability(),
          e.firstSeen().toString(),
          e.lastSeen().toString(),
          e.lastConnected() == null ? "" : e.lastConnected().toString(),
          e.successes(),
          e.failures(),
          e.failureStreak(),
          e.directory(),
          String.join(",", e.addresses())
        };
        table.put(new CompositeDataSupport(ROW, COLUMNS, values));
      }
    } catch (OpenDataException ex) {
      throw new IllegalStateException(ex);
    }
    return table;
  }
}
