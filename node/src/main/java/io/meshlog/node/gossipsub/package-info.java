/**
 * The gossipsub v1.1 router's public API: {@link io.meshlog.node.gossipsub.Gossipsub} (a router on
 * a host, started with {@code factory.Gossipsubs.start}), its configuration ({@link
 * io.meshlog.node.gossipsub.GossipsubConfig} with {@link
 * io.meshlog.node.gossipsub.PeerScoreParams}, {@link io.meshlog.node.gossipsub.TopicScoreParams}
 * and {@link io.meshlog.node.gossipsub.PeerScoreThresholds}), the seam to the network ({@link
 * io.meshlog.node.gossipsub.GossipTransport}), validation and delivery callbacks, and the router's
 * counters ({@link io.meshlog.node.gossipsub.GossipCounter}).
 *
 * <p>The router thread, its binding to a host's streams and the router logic live in {@code
 * io.meshlog.node.gossipsub.internal}.
 */
package io.meshlog.node.gossipsub;
