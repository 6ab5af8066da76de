package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.PeerId;
import org.junit.jupiter.api.Test;

class BackoffTableTest {
  private static final long SECOND = 1_000_000_000L;

  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final BackoffTable table = new BackoffTable();

  @Test
  void shouldNeverShortenARunningBackoff() {
    table.add("chat", alice, 60 * SECOND);
    table.add("chat", alice, 10 * SECOND); // a later PRUNE with a smaller backoff

    assertThat(table.until("chat", alice)).isEqualTo(60 * SECOND);
    assertThat(table.blocks("chat", alice, 30 * SECOND, 0)).isTrue();

    table.add("chat", alice, 90 * SECOND);
    assertThat(table.until("chat", alice)).isEqualTo(90 * SECOND);
  }

  @Test
  void shouldKeepBlockingForTheSlackPastTheEnd() {
    table.add("chat", alice, 10 * SECOND);

    assertThat(table.blocks("chat", alice, 10 * SECOND, SECOND)).isTrue();
    assertThat(table.blocks("chat", alice, 11 * SECOND, SECOND)).isFalse();
    assertThat(table.blocks("chat", bob, 0, SECOND)).isFalse();
    assertThat(table.blocks("news", alice, 0, SECOND)).isFalse();
  }

  @Test
  void shouldDropEndedBackoffsAndTheirEmptyTopics() {
    table.add("chat", alice, 10 * SECOND);
    table.add("chat", bob, 30 * SECOND);
    table.add("news", alice, 10 * SECOND);

    table.expire(10 * SECOND, SECOND); // nothing ended with its slack yet
    assertThat(table.size()).isEqualTo(3);

    table.expire(11 * SECOND, SECOND);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.topics()).isEqualTo(1);
    assertThat(table.until("chat", alice)).isNull();
    assertThat(table.until("chat", bob)).isEqualTo(30 * SECOND);

    table.expire(31 * SECOND, SECOND);
    assertThat(table.size()).isZero();
    assertThat(table.topics()).isZero();
  }
}
