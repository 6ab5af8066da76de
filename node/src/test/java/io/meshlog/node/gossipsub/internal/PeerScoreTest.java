package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.meshlog.node.gossipsub.PeerScoreParams;
import io.meshlog.node.gossipsub.TopicScoreParams;
import io.meshlog.node.p2p.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each component against a value computed by hand from the v1.1 formulas. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerScoreTest {
  private static final long S = 1_000_000_000L;
  private static final String T = "chat";
  private static final double EPS = 1e-9;

  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final Map<PeerId, Double> app = new HashMap<>();

  /** Every weight is 1 or -1 unless a test says otherwise, so sums are easy to read. */
  private static TopicScoreParams topic(double topicWeight) {
    return new TopicScoreParams(
        topicWeight,
        0.5, // P1: 0.5 per second in mesh
        Duration.ofSeconds(1),
        10, // capped at 10 s
        2.0, // P2
        0.5,
        5, // capped at 5
        -1.0, // P3
        0.5,
        20,
        4, // threshold
        Duration.ofMillis(100),
        Duration.ofSeconds(5), // activation
        -2.0, // P3b
        0.5,
        -10.0, // P4
        0.5);
  }

  private static PeerScoreParams params(TopicScoreParams t, double cap) {
    return new PeerScoreParams(
        Map.of(T, t),
        null,
        cap,
        3.0,
        -10.0,
        2,
        List.of(),
        -10.0,
        6.0,
        0.5,
        Duration.ofSeconds(1),
        0.01,
        Duration.ofMinutes(1));
  }

  private PeerScore score(PeerScoreParams p) {
    return new PeerScore(p, k -> app.getOrDefault(k, 0.0), 120 * S, 1000);
  }

  private static MessageId id(int n) {
    return new MessageId(new byte[] {(byte) n});
  }

  @Test
  void shouldGrowP1TimeInMeshPerQuantumUpToTheCap() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.graft(alice, T, 0);
    assertThat(ps.score(alice, 3 * S)).isCloseTo(1.5, offset(EPS)); // 3 s * 0.5
    // At 20 s: P1 capped at 10 * 0.5 = 5; P3 active (after 5 s) with 0 of 4 deliveries: -16.
    assertThat(ps.score(alice, 20 * S)).isCloseTo(5 - 16, offset(EPS));
  }

  @Test
  void shouldCountP2FirstDeliveriesUpToTheCapAndDecay() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    for (int i = 0; i < 7; i++) {
      ps.validating(id(i), alice, 0);
      ps.delivered(id(i), alice, T, 0);
    }
    assertThat(ps.score(alice, 0)).isCloseTo(5 * 2.0, offset(EPS)); // capped at 5
    ps.decay(S);
    assertThat(ps.score(alice, S)).isCloseTo(2.5 * 2.0, offset(EPS));
  }

  @Test
  void shouldSquareTheP3DeficitOnceActiveAndCountNearFirstDuplicates() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.addPeer(bob, null);
    ps.graft(alice, T, 0);
    // Bob delivers first; Alice's copy arrives within the 100 ms window and counts for P3.
    ps.validating(id(1), bob, 6 * S);
    ps.delivered(id(1), bob, T, 6 * S);
    ps.duplicate(id(1), alice, T, 6 * S + 50_000_000L);
    // ...a copy after the window does not.
    ps.validating(id(2), bob, 6 * S);
    ps.delivered(id(2), bob, T, 6 * S);
    ps.duplicate(id(2), alice, T, 6 * S + 200_000_000L);
    // P1 = 6 * 0.5 = 3; deficit 4 - 1 = 3 -> -9.
    assertThat(ps.score(alice, 6 * S)).isCloseTo(3 - 9, offset(EPS));
  }

  @Test
  void shouldNotApplyP3BeforeActivation() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.graft(alice, T, 0);
    assertThat(ps.score(alice, 4 * S)).isCloseTo(2.0, offset(EPS)); // P1 only
  }

  @Test
  void shouldLeaveAStickyP3bPenaltyWhenPruningWithADeficit() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.graft(alice, T, 0);
    ps.validating(id(1), alice, S);
    ps.delivered(id(1), alice, T, S); // P2 = 1 * 2 = 2, mesh deliveries 1
    ps.prune(alice, T, 6 * S); // deficit 3 -> penalty 9 -> * -2 = -18
    assertThat(ps.score(alice, 7 * S)).isCloseTo(2 - 18, offset(EPS));
  }

  @Test
  void shouldSquareP4InvalidAndSpreadItToPeersThatForwardedTheSameMessage() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.addPeer(bob, null);
    ps.validating(id(1), alice, 0);
    ps.duplicate(id(1), bob, T, 0); // bob's copy arrives while validating
    ps.rejected(id(1), alice, T);
    ps.rejected(null, alice, T); // a second, unparseable one
    assertThat(ps.score(alice, 0)).isCloseTo(4 * -10.0, offset(EPS));
    assertThat(ps.score(bob, 0)).isCloseTo(1 * -10.0, offset(EPS));
    ps.duplicate(id(1), bob, T, 0); // known invalid: counts again
    assertThat(ps.score(bob, 0)).isCloseTo(4 * -10.0, offset(EPS));
  }

  @Test
  void shouldApplyTopicWeightAndCapToTheTopicPartOnly() {
    PeerScore ps = score(params(topic(0.5), 3));
    ps.addPeer(alice, null);
    for (int i = 0; i < 5; i++) {
      ps.validating(id(i), alice, 0);
      ps.delivered(id(i), alice, T, 0);
    }
    app.put(alice, 2.0);
    // P2 = 5 * 2 * 0.5 = 5, capped at 3; P5 = 2 * 3 = 6.
    assertThat(ps.score(alice, 0)).isCloseTo(3 + 6, offset(EPS));
  }

  @Test
  void shouldSquareTheP6ColocationSurplus() {
    PeerScore ps = score(params(topic(1), 0));
    for (int i = 0; i < 5; i++) {
      ps.addPeer(PeerId.fromPublicKeyProtobuf(new byte[] {9, (byte) i}), "10.0.0.1");
    }
    ps.addPeer(alice, "10.0.0.2");
    // 5 peers on one IP, threshold 2: surplus 3 -> 9 * -10.
    assertThat(ps.score(PeerId.fromPublicKeyProtobuf(new byte[] {9, 0}), 0))
        .isCloseTo(-90, offset(EPS));
    assertThat(ps.score(alice, 0)).isZero();
    // Two of them leave (their negative scores are retained): 3 connected, surplus 1 -> -10.
    ps.removePeer(PeerId.fromPublicKeyProtobuf(new byte[] {9, 3}), 0);
    ps.removePeer(PeerId.fromPublicKeyProtobuf(new byte[] {9, 4}), 0);
    assertThat(ps.score(PeerId.fromPublicKeyProtobuf(new byte[] {9, 0}), 0))
        .isCloseTo(-10, offset(EPS));
  }

  @Test
  void shouldSquareTheP7BehaviourPenaltyAboveThresholdAndDecayIt() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.addPenalty(alice, 6);
    assertThat(ps.score(alice, 0)).isZero(); // at the threshold
    ps.addPenalty(alice, 4);
    assertThat(ps.score(alice, 0)).isCloseTo(16 * -10.0, offset(EPS));
    ps.decay(S); // 10 -> 5, below the threshold
    assertThat(ps.score(alice, S)).isZero();
  }

  @Test
  void shouldRetainANegativeScoreAcrossReconnectButNotAPositiveOne() {
    PeerScore ps = score(params(topic(1), 0));
    ps.addPeer(alice, null);
    ps.addPenalty(alice, 10);
    ps.removePeer(alice, 0);
    ps.addPeer(alice, null);
    assertThat(ps.score(alice, 0)).isCloseTo(-160, offset(EPS));

    ps.addPeer(bob, null);
    ps.validating(id(1), bob, 0);
    ps.delivered(id(1), bob, T, 0);
    ps.removePeer(bob, 0);
    assertThat(ps.knownPeers()).doesNotContain(bob);

    ps.removePeer(alice, 0);
    ps.decay(2 * 60 * S); // past retainScore
    assertThat(ps.knownPeers()).doesNotContain(alice);
  }
}
