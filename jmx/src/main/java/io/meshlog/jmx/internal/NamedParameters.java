package io.meshlog.jmx.internal;

import java.util.Map;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;
import javax.management.StandardMBean;

/**
 * Wraps an MXBean so that consoles show real operation parameter names ({@code topic}, {@code
 * peerId}) instead of the {@code p0}, {@code p1} that reflection leaves.
 */
public final class NamedParameters {

  private NamedParameters() {}

  /** An MXBean without notifications. */
  public static <T> StandardMBean of(T bean, Class<T> type, Map<String, String[]> names) {
    return of(bean, type, true, names);
  }

  /**
   * An MBean without notifications; {@code mxBean} false for an interface whose attributes are open
   * types already (an MXBean would remap a {@code TabularData} attribute as a bean).
   */
  public static <T> StandardMBean of(
      T bean, Class<T> type, boolean mxBean, Map<String, String[]> names) {
    return new StandardMBean(bean, type, mxBean) {
      @Override
      protected String getParameterName(
          MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return name(names, op, param, sequence);
      }
    };
  }

  /** An MXBean that emits the notifications of {@code emitter}. */
  public static <T> StandardEmitterMBean emitting(
      T bean, Class<T> type, NotificationEmitter emitter, Map<String, String[]> names) {
    return new StandardEmitterMBean(bean, type, true, emitter) {
      @Override
      protected String getParameterName(
          MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return name(names, op, param, sequence);
      }
    };
  }

  private static String name(
      Map<String, String[]> names, MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    String[] n = names.get(op.getName());
    return n != null && sequence < n.length ? n[sequence] : param.getName();
  }
}
