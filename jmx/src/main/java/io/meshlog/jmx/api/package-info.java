/**
 * The MXBean interfaces operators see in the {@code io.meshlog} JMX domain: their method names are
 * the attribute and operation names consoles and scripts use, so they change only by adding. Each
 * type names its object name in its javadoc. With them the other names operators rely on: the
 * notification types ({@link io.meshlog.jmx.api.NotificationTypes}) and the module's counters
 * ({@link io.meshlog.jmx.api.JmxCounter}). No MBean implementation and no node type here.
 */
package io.meshlog.jmx.api;
