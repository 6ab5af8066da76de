/**
 * Gap sync, {@code /meshlog/sync/1.0.0}: a node asks its peers for the messages it lacks, and
 * serves theirs from its own journal through the projections' indexes (docs/sync.md). Sits beside
 * gossipsub, on p2p: it hands fetched messages to the router, which checks and delivers them.
 */
package io.meshlog.node.sync;
