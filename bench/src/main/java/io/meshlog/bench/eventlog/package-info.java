/**
 * The journal benchmark behind {@code meshlog bench}: raw Chronicle append rate, pipeline rate,
 * read rate and publish-to-journaled latency, each checked against what was written.
 */
package io.meshlog.bench.eventlog;
