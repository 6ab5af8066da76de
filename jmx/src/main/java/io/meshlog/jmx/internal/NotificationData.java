package io.meshlog.jmx.internal;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The user data of every meshlog notification: one open type with string items (empty where a
 * notification type does not use one), so consoles read it without meshlog's classes.
 */
public final class NotificationData {

  private static final String[] ITEMS = {
    "peerId", "topic", "direction", "address", "reason", "from", "to"
  };
  private static final CompositeType TYPE;

  static {
    OpenType<?>[] types = new OpenType<?>[ITEMS.length];
    for (int i = 0; i < types.length; i++) {
      types[i] = SimpleType.STRING;
    }
    try {
      TYPE =
          new CompositeType(
              "io.meshlog.NotificationData", "meshlog notification", ITEMS, ITEMS, types);
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private NotificationData() {}

  /** Builds the data; null arguments become empty strings. */
  public static CompositeData of(
      String peerId,
      String topic,
      String direction,
      String address,
      String reason,
      String from,
      String to) {
    Object[] values = {peerId, topic, direction, address, reason, from, to};
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        values[i] = "";
      }
    }
    try {
      return new CompositeDataSupport(TYPE, ITEMS, values);
    } catch (OpenDataException e) {
      throw new IllegalStateException(e);
    }
  }
}
