/**
 * RocksDB projections of the journal: peer statistics, topic statistics and the per-topic ordering
 * index, with the checkpoint (last applied journal index) written in the same batch as the rows it
 * covers.
 *
 * <p>The public types here ({@link io.meshlog.eventlog.projection.Projections}, the stats records,
 * the config, the counters) speak only meshlog's own types. RocksDB types never leave this package:
 * the package-private {@code ProjectionStore} is the one class that touches them.
 *
 * <pre>
 *  journal ──► ProjectionWriter (one thread)          readers (any thread)
 *               rows in memory, dirty per batch        Projections.peers()/topics()/...
 *               endOfBatch: one WriteBatch ──► RocksDB ◄── point reads and iterators
 *                 (dirty rows + ordering keys + checkpoint)
 * </pre>
 */
package io.meshlog.eventlog.projection;
