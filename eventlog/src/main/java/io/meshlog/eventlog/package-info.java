/**
 * meshlog's event log: the event model ({@link io.meshlog.eventlog.Event}, {@link
 * io.meshlog.eventlog.EventType}), the sink producers publish into ({@link
 * io.meshlog.eventlog.EventSink}), the Disruptor to Chronicle Queue journal, its readers, and the
 * RocksDB projections built from it. The journal is the source of truth; everything else is a
 * projection of it.
 */
package io.meshlog.eventlog;
