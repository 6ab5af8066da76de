/**
 * Starts a gossipsub router on a host: the one place that knows both the API of {@code
 * io.meshlog.node.gossipsub} and the router in its {@code internal} packages, so that neither
 * depends back on the other.
 */
package io.meshlog.node.gossipsub.factory;
