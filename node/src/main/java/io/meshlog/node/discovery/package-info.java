/**
 * Discovery over the libp2p rendezvous protocol ({@code /rendezvous/1.0.0}): the directory role
 * ({@link io.meshlog.node.discovery.DirectoryService}, its state {@link
 * io.meshlog.node.discovery.RegistrationTable}) and a peer's side ({@link
 * io.meshlog.node.discovery.PeerDiscovery}), configured by {@link
 * io.meshlog.node.discovery.DiscoveryConfig}. Sits beside gossipsub on {@code p2p}: it knows the
 * mesh only through {@link io.meshlog.node.discovery.TopicMesh}. See {@code docs/discovery.md}.
 */
package io.meshlog.node.discovery;
