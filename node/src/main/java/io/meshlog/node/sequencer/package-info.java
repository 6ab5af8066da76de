/**
 * The sequencer's wire format on its two gossip control topics ({@code docs/reconciliation.md},
 * "Confirmations and submissions"): signed confirmation batches from the directory, submission
 * batches from nodes. On {@code p2p} for keys and peer ids; no gossip, no node process.
 */
package io.meshlog.node.sequencer;
