package io.meshlog.jmx.internal;

import com.codahale.metrics.jmx.ObjectNameFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * ObjectNames for Micrometer's JMX reporter: the meshlog domain followed by the key properties
 * {@link MeshlogNameMapper} built, instead of the reporter's default {@code metrics:name=...}.
 */
final class MeshlogObjectNames implements ObjectNameFactory {

  @Override
  public ObjectName createName(String type, String domain, String name) {
    try {
      return new ObjectName(domain + ":" + name);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("meter name not usable in JMX: " + name, e);
    }
  }
}
