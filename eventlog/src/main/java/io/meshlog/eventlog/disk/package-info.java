/**
 * The event log's entry points: what opens a journal directory ({@link
 * io.meshlog.eventlog.disk.Journals}) or a node's whole data directory, the journal with its
 * projections ({@link io.meshlog.eventlog.disk.EventLog}).
 *
 * <pre>
 *   disk (entry points) ─► journal (Chronicle, Disruptor)  ─┐
 *                       └► projection (RocksDB)            ─┴► eventlog (event model, interfaces)
 * </pre>
 *
 * <p>This package sits on top of the implementations so that the root package, which holds the
 * model and the interfaces every module uses, depends on none of them.
 */
package io.meshlog.eventlog.disk;
