package io.meshlog.jmx.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;

/**
 * Maps a meter to the key properties of its ObjectName, Kafka style: {@code
 * type=Metrics,name=jvm.memory.used,area=heap,id=G1 Old Gen}. {@link MeshlogObjectNames} prefixes
 * the domain. Values that ObjectName cannot hold as they are get quoted; tag keys that would clash
 * with {@code type} or {@code name} are prefixed with {@code tag.}.
 *
 * <p>Thread-safe (stateless).
 */
final class MeshlogNameMapper implements HierarchicalNameMapper {

  @Override
  public String toHierarchicalName(Meter.Id id, NamingConvention convention) {
    StringBuilder b = new StringBuilder("type=Metrics,name=");
    b.append(value(id.getConventionName(convention)));
    for (Tag tag : id.getConventionTags(convention)) {
      String key = key(tag.getKey());
      b.append(',').append(key).append('=').append(value(tag.getValue()));
    }
    return b.toString();
  }

  private static String key(String key) {
    String k = key.replaceAll("[,=:*?\"\\s]", "_");
    if (k.isEmpty() || k.equals("type") || k.equals("name")) {
      return "tag." + k;
    }
    return k;
  }

  private static String value(String value) {
    return ObjectNames.quoteIfNeeded(value);
  }
}
