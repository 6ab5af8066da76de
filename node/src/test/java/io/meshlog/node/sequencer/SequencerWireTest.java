package io.meshlog.node.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.Identity;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderedMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SequencerWireTest {
  private final Identity directory = Identity.generate();
  private final Identity other = Identity.generate();
  private final OrderedMessage m =
      new OrderedMessage(
          "chat", MessageKey.of(new byte[] {1, 2, 3}), 10_000_000, new byte[] {7}, 4);

  @Test
  void shouldVerifyAConfirmationSignedByATrustedDirectory() {
    byte[] wire =
        SequencerWire.confirm(directory, List.of(new Assignment(m, new FinalPosition(2, 41))));
    var c = SequencerWire.verifyConfirm(wire, List.of(directory.peerId())).orElseThrow();
    assertThat(c.signer()).isEqualTo(directory.peerId());
    assertThat(c.assignments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.message().topic()).isEqualTo("chat");
              assertThat(a.message().id()).isEqualTo(m.id());
              assertThat(a.message().lamport()).isEqualTo(10_000_000);
              assertThat(a.position()).isEqualTo(new FinalPosition(2, 41));
            });
  }

  @Test
  void shouldRefuseAConfirmationFromAnUntrustedSignerOrWithABadSignature() {
    byte[] wire = SequencerWire.confirm(other, List.of(new Assignment(m, new FinalPosition(1, 0))));
    assertThat(SequencerWire.verifyConfirm(wire, List.of(directory.peerId()))).isEmpty();
    byte[] good =
        SequencerWire.confirm(directory, List.of(new Assignment(m, new FinalPosition(1, 0))));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 1;
      assertThat(SequencerWire.verifyConfirm(bad, List.of(directory.peerId())))
          .as("byte %d flipped", i)
          .isEmpty();
    }
    assertThat(
            SequencerWire.verifyConfirm(
                Arrays.copyOf(good, good.length - 1), List.of(directory.peerId())))
        .isEmpty();
  }

  @Test
  void shouldRoundTripASubmissionAndRejectGarbage() {
    byte[] wire = SequencerWire.submit(List.of(m));
    assertThat(SequencerWire.decodeSubmit(wire).orElseThrow())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(m.id());
              assertThat(s.origin()).containsExactly(7);
              assertThat(s.originSeqno()).isEqualTo(4);
              assertThat(s.lamport()).isEqualTo(10_000_000);
            });
    assertThat(SequencerWire.decodeSubmit(new byte[] {1, 2, (byte) 0xFF, (byte) 0xFF, 0x7F}))
        .isEmpty();
    assertThat(SequencerWire.decodeSubmit(new byte[0])).isEmpty();
  }
}
