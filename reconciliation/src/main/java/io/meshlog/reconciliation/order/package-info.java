/**
 * One final order per topic: the sequencer's state machine ({@link
 * io.meshlog.reconciliation.order.Sequencer}), a node's view of a topic's order ({@link
 * io.meshlog.reconciliation.order.TopicOrder}) and the Lamport clock bound ({@link
 * io.meshlog.reconciliation.order.ClockBound}). The rules are written down in {@code
 * docs/reconciliation.md}.
 *
 * <p>Pure logic: no sockets, no clock reads. Time comes in as data (ns), so the same inputs give
 * the same assignments, which is what lets a restarted sequencer be rebuilt from its journal and
 * lets property tests drive it through random arrival orders.
 */
package io.meshlog.reconciliation.order;
