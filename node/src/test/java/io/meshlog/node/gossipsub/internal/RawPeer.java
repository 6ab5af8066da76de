package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.Ed25519MessageSigner;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecodeException;
import io.meshlog.node.gossipsub.internal.rpc.RpcDecoder;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.p2p.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer in a {@link SimNetwork} that is not a router: the test writes its RPCs by hand (to play an
 * attacker or a peer in an exact order) and reads what routers sent it.
 */
final class RawPeer {
  final Ed25519MessageSigner signer = Ed25519MessageSigner.generate();
  final PeerId key = PeerId.fromBytes(signer.peerId());
  final SimNetwork net;
  long seq = 1;

  RawPeer(SimNetwork net) {
    this.net = net;
    net.addRawPeer(key);
  }

  void connect(SimNetwork.Node n) {
    connect(n, GossipRouter.MESHSUB_V11);
  }

  void connect(SimNetwork.Node n, String protocol) {
    n.router.addPeer(key, protocol, false, null, net.now);
  }

  void send(SimNetwork.Node to, Rpc rpc) {
    to.router.onRpc(key, RpcEncoder.encode(rpc), net.now);
    net.drain();
  }

  /** A message signed by this peer. */
  Rpc.PubMessage signed(String topic, byte[] data) {
    byte[] seqno = ByteBuffer.allocate(8).putLong(seq++).array();
    return MessageSignatures.sign(
        new Rpc.PubMessage(signer.peerId(), data, seqno, topic, null, null), signer);
  }

  /** A message signed by this peer, with one bit of the signature flipped. */
  Rpc.PubMessage badlySigned(String topic, byte[] data) {
    Rpc.PubMessage m = signed(topic, data);
    byte[] sig = m.signature().clone();
    sig[0] ^= 1;
    return new Rpc.PubMessage(m.from(), m.data(), m.seqno(), m.topic(), sig, m.key());
  }

  List<Rpc> received() {
    List<Rpc> out = new ArrayList<>();
    for (byte[] b : net.rawInbox.get(key)) {
      try {
        out.add(RpcDecoder.decode(b, RpcPrechecker.limitsOf(GossipsubConfig.builder().build())));
      } catch (RpcDecodeException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  void clearReceived() {
    net.rawInbox.get(key).clear();
  }
}
