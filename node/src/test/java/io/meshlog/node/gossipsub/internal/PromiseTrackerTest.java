package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.PeerId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromiseTrackerTest {
  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final MessageId m1 = new MessageId(new byte[] {1});
  private final MessageId m2 = new MessageId(new byte[] {2});
  private final PromiseTracker promises = new PromiseTracker();

  @Test
  void shouldCountABrokenPromiseOnceAgainstThePeerThatMadeIt() {
    promises.promise(m1, alice, 100);
    promises.promise(m2, alice, 100);
    promises.promise(m2, bob, 200);

    assertThat(promises.expire(99)).isEmpty();
    assertThat(promises.expire(100)).isEqualTo(Map.of(alice, 2));
    assertThat(promises.expire(150)).isEmpty(); // already counted
    assertThat(promises.expire(200)).isEqualTo(Map.of(bob, 1));
    assertThat(promises.size()).isZero();
  }

  @Test
  void shouldNeverCountAKeptPromiseAsBroken() {
    promises.promise(m1, alice, 100);
    promises.promise(m1, bob, 100);
    assertThat(promises.isPromised(m1)).isTrue();

    promises.kept(m1); // arrived, from anyone

    assertThat(promises.isPromised(m1)).isFalse();
    assertThat(promises.expire(1_000)).isEmpty();
  }

  @Test
  void shouldKeepTheFirstDeadlineOfARepeatedPromise() {
    promises.promise(m1, alice, 100);
    promises.promise(m1, alice, 500);

    assertThat(promises.expire(100)).isEqualTo(Map.of(alice, 1));
  }

  @Test
  void shouldForgetAPeerThatLeft() {
    promises.promise(m1, alice, 100);
    promises.promise(m2, bob, 100);

    promises.removePeer(alice);

    assertThat(promises.asked(alice)).isZero();
    assertThat(promises.expire(100)).isEqualTo(Map.of(bob, 1));
  }

  @Test
  void shouldRecountAskedFromTheOpenPromisesAtEachExpiry() {
    promises.promise(m1, alice, 100);
    promises.promise(m2, alice, 300);
    assertThat(promises.asked(alice)).isEqualTo(2);

    promises.kept(m2);
    assertThat(promises.asked(alice)).isEqualTo(2); // settled at the next expiry, as go does

    promises.expire(50);
    assertThat(promises.asked(alice)).isEqualTo(1);
    promises.expire(100);
    assertThat(promises.asked(alice)).isZero();
  }
}
