package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import io.meshlog.node.gossipsub.internal.rpc.RpcEncoder;
import io.meshlog.node.p2p.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final Outbox outbox = new Outbox();
  private final List<Map.Entry<PeerId, Rpc>> sent = new ArrayList<>();

  private static Rpc.PubMessage message(int dataBytes, int n) {
    return new Rpc.PubMessage(
        new byte[] {1}, new byte[dataBytes], new byte[] {(byte) n}, "chat", null, null);
  }

  private void flush(int maxRpcSize, Set<PeerId> connected) {
    outbox.flush(maxRpcSize, connected::contains, (k, rpc) -> sent.add(Map.entry(k, rpc)));
  }

  @Test
  void shouldSendEachPeerAllItsPartsInOneRpc() {
    Rpc.PubMessage m = message(10, 1);
    outbox.to(alice).graft.add(new Rpc.Graft("chat"));
    outbox.to(bob).prune.add(new Rpc.Prune("chat", List.of(), 60));
    outbox.to(alice).messages.add(m);
    outbox.to(alice).ihave.add(new Rpc.IHave("news", List.of(new byte[] {9})));
    outbox.to(alice).dontWant.add(new byte[] {7});

    flush(1 << 20, Set.of(alice, bob));

    assertThat(sent).extracting(Map.Entry::getKey).containsExactly(alice, bob);
    Rpc toAlice = sent.get(0).getValue();
    assertThat(toAlice.publish()).containsExactly(m);
    assertThat(toAlice.control().graft()).containsExactly(new Rpc.Graft("chat"));
    assertThat(toAlice.control().ihave()).hasSize(1);
    assertThat(toAlice.control().idontwant()).hasSize(1);
    assertThat(sent.get(1).getValue().control().prune()).hasSize(1);
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void shouldSplitMessagesOverHalfTheRpcLimitInOrderWithControlOnTheLast() {
    int maxRpcSize = 1000;
    List<Rpc.PubMessage> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Rpc.PubMessage m = message(200, i);
      queued.add(m);
      outbox.to(alice).messages.add(m);
    }
    outbox.to(alice).graft.add(new Rpc.Graft("chat"));

    flush(maxRpcSize, Set.of(alice));

    assertThat(sent).hasSizeGreaterThan(1);
    List<Rpc.PubMessage> delivered = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Rpc rpc = sent.get(i).getValue();
      int size = 0;
      for (Rpc.PubMessage m : rpc.publish()) {
        size += RpcEncoder.encodedSize(m);
      }
      assertThat(size).isLessThanOrEqualTo(maxRpcSize / 2);
      assertThat(rpc.control() != null).isEqualTo(i == sent.size() - 1);
      delivered.addAll(rpc.publish());
    }
    assertThat(delivered).containsExactlyElementsOf(queued);
  }

  @Test
  void shouldSendNothingTwiceAndDropPartsOfPeersThatLeft() {
    outbox.to(alice).graft.add(new Rpc.Graft("chat"));
    outbox.to(bob).graft.add(new Rpc.Graft("chat"));

    flush(1 << 20, Set.of(bob));
    flush(1 << 20, Set.of(alice, bob));

    assertThat(sent).extracting(Map.Entry::getKey).containsExactly(bob);
  }

  @Test
  void shouldForgetWhatWasQueuedForADroppedPeer() {
    outbox.to(alice).graft.add(new Rpc.Graft("chat"));
    outbox.drop(alice);

    flush(1 << 20, Set.of(alice));

    assertThat(sent).isEmpty();
  }
}
