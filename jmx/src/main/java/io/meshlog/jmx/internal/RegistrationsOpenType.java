package io.meshlog.jmx.internal;

import io.meshlog.jmx.view.RegistrationInfo;
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
 * The open type of the Directory's registration tables: one row per registration, keyed by topic
 * and peer id. Addresses are one comma-separated string and times ISO-8601 strings, because
 * consoles show arrays and dates inside table cells as opaque values.
 */
final class RegistrationsOpenType {

  private static final String[] COLUMNS = {
    "topic", "peerId", "addresses", "registeredAt", "expiresAt"
  };
  private static final OpenType<?>[] TYPES = {
    SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING
  };
  static final CompositeType ROW;
  static final TabularType TABLE;

  static {
    try {
      ROW =
          new CompositeType(
              "io.meshlog.Registration",
              "one peer registered in one topic",
              COLUMNS,
              COLUMNS,
              TYPES);
      TABLE =
          new TabularType(
              "io.meshlog.Registrations",
              "registrations at this directory",
              ROW,
              new String[] {"topic", "peerId"});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RegistrationsOpenType() {}

  static TabularData of(List<RegistrationInfo> registrations) {
    TabularDataSupport table = new TabularDataSupport(TABLE);
    try {
      for (RegistrationInfo r : registrations) {
        Object[] values = {
          r.topic(),
          r.peerId(),
          String.join(",", r.addresses()),
          r.registeredAt().toString(),
          r.expiresAt().toString()
        };
        CompositeDataSupport row = new CompositeDataSupport(ROW, COLUMNS, values);
        if (!table.containsKey(table.calculateIndex(row))) {
          table.put(row);
        }
      }
    } catch (OpenDataException e) {
      throw new IllegalStateException(e);
    }
    return table;
  }
}
