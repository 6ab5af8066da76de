package io.meshlog.reconciliation.replay;

/**
 * An anomaly with the numbers that order the output: message, node and, for ordering anomalies, the
 * other message (-1 when none).
 */
record FoundAnomaly(Anomaly anomaly, int message, int node, int otherNode, int other) {}
