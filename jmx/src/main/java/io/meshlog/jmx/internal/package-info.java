/**
 * Internal: the MXBean implementations, the RMI socket factories, and the Micrometer and Prometheus
 * wiring behind {@code io.meshlog.jmx}. Micrometer and Dropwizard types live here and nowhere else.
 * Not an API; anything here may change without notice.
 */
package io.meshlog.jmx.internal;
