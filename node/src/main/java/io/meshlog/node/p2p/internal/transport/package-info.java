/**
 * Internal: the TCP transport on Netty and the {@link io.meshlog.node.p2p.Host} implementation. Not
 * part of meshlog's API; may change without notice. Netty types stay inside the internal packages.
 *
 * <pre>
 *  TCP channel pipeline, in the order the upgrade installs it:
 *
 *  [multistream: /noise] -> [Noise] -> [multistream: /yamux/1.0.0] -> [Yamux] -> [UpgradeHandler]
 *   removed once agreed               removed once agreed                 tail: timeout, events,
 *                                                                          connection lifecycle
 *  every Yamux stream:  multistream (StreamNegotiation) -> MuxedStream -> protocol handler
 * </pre>
 */
package io.meshlog.node.p2p.internal.transport;
