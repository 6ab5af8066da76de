package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerRateLimitTest {
  private static final long SECOND = 1_000_000_000L;
  private final PeerId a = Identity.generate().peerId();
  private final PeerId b = Identity.generate().peerId();

  @Test
  void shouldAllowABurstThenTheRatePerPeer() {
    PeerRateLimit limit = new PeerRateLimit(2, 3);

    for (int i = 0; i < 3; i++) {
      assertThat(limit.tryAcquire(a, 0)).isTrue();
    }
    assertThat(limit.tryAcquire(a, 0)).as("the burst is spent").isFalse();
    assertThat(limit.tryAcquire(b, 0)).as("another peer has its own bucket").isTrue();
    assertThat(limit.tryAcquire(a, SECOND / 2)).as("one token after half a second").isTrue();
    assertThat(limit.tryAcquire(a, SECOND / 2)).isFalse();
    assertThat(limit.tryAcquire(a, SECOND / 4)).as("a clock stepping back adds nothing").isFalse();
  }

  @Test
  void shouldJournalRefusalsAtMostOnceASecondWithTheirCount() {
    PeerRateLimit limit = new PeerRateLimit(1, 1);
    limit.tryAcquire(a, 0);
    for (int i = 0; i < 5; i++) {
      assertThat(limit.tryAcquire(a, 0)).isFalse();
    }

    assertThat(limit.journalRefusal(a, 0)).isEqualTo(5);
    limit.tryAcquire(a, 1);
    assertThat(limit.journalRefusal(a, 1)).as("within the second").isZero();
    assertThat(limit.journalRefusal(a, SECOND)).isEqualTo(1);
  }

  @Test
  void shouldForgetRefilledBucketsOnly() {
    PeerRateLimit limit = new PeerRateLimit(1, 2);
    limit.tryAcquire(a, 0);
    limit.tryAcquire(a, 0);
    limit.tryAcquire(b, 0);

    limit.sweep(SECOND);
    assertThat(limit.tracked()).as("a still lacks a token, b is full").isEqualTo(1);
    limit.sweep(2 * SECOND);
    assertThat(limit.tracked()).isZero();
  }
}
