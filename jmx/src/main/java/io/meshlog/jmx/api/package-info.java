/**
 * The MXBean interfaces operators see in the {@code io.meshlog} JMX domain: their method names are
 * the attribute and operation names consoles and scripts use, so they change only by adding. Each
 * type names its object name in its javadoc. No MBean implementation and no node type here.
 */
package io.meshlog.jmx.api;
