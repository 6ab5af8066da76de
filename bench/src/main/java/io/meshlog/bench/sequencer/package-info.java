/**
 * The sequencing benchmark behind {@code meshlog bench sequencer}: messages finalized per second by
 * a real directory for real publishing nodes, each round checked against the directory's journal.
 */
package io.meshlog.bench.sequencer;
