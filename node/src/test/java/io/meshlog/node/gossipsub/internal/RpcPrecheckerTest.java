package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signatures checked on network threads: same verdicts, same duplicate handling as the router. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RpcPrecheckerTest {
  private static final String TOPIC = "chat";
  private final GossipsubConfig config = GossipsubConfig.builder().build();
  private final RpcPrechecker prechecker = new RpcPrechecker(config);
  private final SimNetwork net = new SimNetwork(config, 5);
  private final SimNetwork.Node router = net.addNode();

  private static Rpc publish(Rpc.PubMessage m) {
    return new Rpc(List.of(), List.of(m), null);
  }

  private static Rpc.PubMessage forgedCopyOf(Rpc.PubMessage genuine) {
    byte[] sig = genuine.signature().clone();
    sig[10] ^= 0x40;
    return new Rpc.PubMessage(
        genuine.from(), new byte[] {6, 6, 6}, genuine.seqno(), genuine.topic(), sig, null);
  }

  private RawPeer meshPeer() {
    RawPeer p = new RawPeer(net);
    p.connect(router, GossipRouter.MESHSUB_V11);
    p.send(router, GossipAttackTest.subscribe());
    return p;
  }

  private void deliver(RawPeer from, PrecheckedRpc rpc) {
    router.router.onRpc(from.key, rpc, net.now);
    net.drain();
  }

  @Test
  void shouldPassValidMessagesNameForgeriesAndCheckEachIdOnce() {
    RawPeer source = new RawPeer(net);
    Rpc.PubMessage genuine = source.signed(TOPIC, new byte[] {1, 2, 3});

    PrecheckedRpc forged = prechecker.precheck(RpcEncoder.encode(publish(forgedCopyOf(genuine))));
    PrecheckedRpc first = prechecker.precheck(RpcEncoder.encode(publish(genuine)));
    PrecheckedRpc second = prechecker.precheck(RpcEncoder.encode(publish(genuine)));

    assertThat(forged.verdict(0)).isEqualTo("invalid signature");
    assertThat(first.verdict(0)).isEqualTo(PrecheckedRpc.VALID);
    assertThat(second.verdict(0)).as("a copy of a verified id is left to the router").isNull();
    assertThat(prechecker.precheck(new byte[] {(byte) 0xff, 0x01})).as("undecodable").isNull();
  }

  @Test
  void shouldNeverLetAForgedCopyMarkAnIdSeenEvenWhenItOvertakesTheGenuineOne() {
    router.router.subscribe(TOPIC, net.now);
    RawPeer source = meshPeer();
    RawPeer forger = meshPeer();
    Rpc.PubMessage genuine = source.signed(TOPIC, new byte[] {1, 2, 3});

    // The genuine copy is verified first on one network thread, so the forged copy, read on
    // another, is left unchecked; then the forged copy reaches the router first.
    PrecheckedRpc genuineRpc = prechecker.precheck(RpcEncoder.encode(publish(genuine)));
    PrecheckedRpc forgedRpc =
        prechecker.precheck(RpcEncoder.encode(publish(forgedCopyOf(genuine))));
    assertThat(forgedRpc.verdict(0)).isNull();

    deliver(forger, forgedRpc);
    assertThat(router.delivered).isEmpty();
    assertThat(router.router.score(forger.key)).isNegative();

    deliver(source, genuineRpc);
    assertThat(router.delivered).hasSize(1);
    assertThat(router.delivered.get(0).data()).containsExactly(1, 2, 3);

    RawPeer late = meshPeer();
    deliver(late, prechecker.precheck(RpcEncoder.encode(publish(forgedCopyOf(genuine)))));
    assertThat(router.counters.get(GossipCounter.MESSAGES_DUPLICATE)).isEqualTo(1);
    assertThat(router.delivered).hasSize(1);
  }

  @Test
  void shouldRejectAMessageTheNetworkThreadFoundForged() {
    router.router.subscribe(TOPIC, net.now);
    RawPeer forger = meshPeer();
    RawPeer source = new RawPeer(net);
    Rpc.PubMessage genuine = source.signed(TOPIC, new byte[] {1});
    deliver(forger, prechecker.precheck(RpcEncoder.encode(publish(forgedCopyOf(genuine)))));
    assertThat(router.delivered).isEmpty();
    assertThat(router.counters.get(GossipCounter.MESSAGES_REJECTED)).isEqualTo(1);
    assertThat(router.router.score(forger.key)).isNegative();
  }
}
