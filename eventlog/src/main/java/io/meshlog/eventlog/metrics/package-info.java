/**
 * Counters declared once: {@link io.meshlog.eventlog.metrics.CounterDescriptor}, which every
 * module's counter enum implements (journal 1-99, projection 100-199, node 200-299, transport
 * 300-399, gossip 400-499, jmx 500-599), and {@link io.meshlog.eventlog.metrics.CounterSet}, the
 * lock-free values of one such enum. The jmx module binds every descriptor to its meters in one
 * place; no module names a meter anywhere else.
 */
package io.meshlog.eventlog.metrics;
