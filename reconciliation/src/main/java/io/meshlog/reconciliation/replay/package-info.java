/**
 * Replay: reads one or many nodes' journals in one merged pass and explains message ordering across
 * them — per-message delivery tables, clock offsets estimated from the journals, and the named
 * anomalies ({@code lost}, {@code duplicate-delivery}, {@code fifo-inversion}, {@code
 * causal-inversion}, {@code order-divergence}, {@code late}) with the events that prove each.
 *
 * <p>Public: {@link io.meshlog.reconciliation.replay.ReplayAnalysis} (the entry point), its options
 * and the report records. Everything else is package-private implementation. Pure logic: journals
 * are read through eventlog's reader interface, no clock is read, and the output depends only on
 * the journals' content.
 */
package io.meshlog.reconciliation.replay;
