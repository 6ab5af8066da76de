package io.meshlog.jmx.internal;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** ObjectNames in the meshlog domain. Stateless. */
public final class ObjectNames {

  /** The JMX domain of every meshlog MBean. */
  public static final String DOMAIN = "io.meshlog";

  private ObjectNames() {}

  /** {@code io.meshlog:type=<type>[,node=<node>]}. */
  public static ObjectName of(String type, String node) {
    return parse("type=" + type + nodeKey(node));
  }

  /** {@code io.meshlog:type=Topic,name=<topic>[,node=<node>]}, the topic quoted when it must be. */
  public static ObjectName topic(String topic, String node) {
    return parse("type=Topic,name=" + quoteIfNeeded(topic) + nodeKey(node));
  }

  /** {@code io.meshlog:type=Peer,name=<base58 peer id>[,node=<node>]}. */
  public static ObjectName peer(String peerId, String node) {
    return parse("type=Peer,name=" + quoteIfNeeded(peerId) + nodeKey(node));
  }

  private static String nodeKey(String node) {
    return node == null ? "" : ",node=" + quoteIfNeeded(node);
  }

  /** The value as it is when ObjectName can hold it so (readable in consoles), else quoted. */
  static String quoteIfNeeded(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
        return ObjectName.quote(value);
      }
    }
    return value.isEmpty() ? ObjectName.quote(value) : value;
  }

  private static ObjectName parse(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
