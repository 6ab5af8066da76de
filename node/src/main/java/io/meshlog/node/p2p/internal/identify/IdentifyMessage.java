package io.meshlog.node.p2p.internal.identify;

import java.util.List;

/**
 * The fields of an identify message meshlog reads and writes. Byte arrays are raw protobuf field
 * contents: {@code publicKey} is a libp2p crypto PublicKey protobuf, addresses are binary
 * multiaddrs. Absent fields are null (or empty lists).
 *
 * @param protocolVersion field 5, e.g. {@code ipfs/0.1.0}
 * @param agentVersion field 6, e.g. {@code meshlog/0.1.0}
 * @param publicKey field 1
 * @param listenAddrs field 2, repeated
 * @param observedAddr field 4, how the sender sees the receiver's address
 * @param protocols field 3, repeated
 * @param signedPeerRecord field 8, kept opaque
 */
public record IdentifyMessage(
    String protocolVersion,
    String agentVersion,
    byte[] publicKey,
    List<byte[]> listenAddrs,
    byte[] observedAddr,
    List<String> protocols,
    byte[] signedPeerRecord) {

  public IdentifyMessage {
    listenAddrs = listenAddrs == null ? List.of() : List.copyOf(listenAddrs);
    protocols = protocols == null ? List.of() : List.copyOf(protocols);
  }
}
