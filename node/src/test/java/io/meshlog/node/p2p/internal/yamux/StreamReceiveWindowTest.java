package io.meshlog.node.p2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamReceiveWindowTest {
  private static final int KIB = 1024;

  @Test
  void shouldRefuseDataBeyondCredit() {
    StreamReceiveWindow w = new StreamReceiveWindow(16 << 20);

    assertThat(w.receive(256 * KIB)).isTrue();
    assertThat(w.receive(1)).isFalse();
  }

  @Test
  void shouldReturnCreditOnlyOnceHalfTheWindowWasConsumed() {
    StreamReceiveWindow w = new StreamReceiveWindow(256 * KIB);
    w.receive(200 * KIB);

    assertThat(w.consume(100 * KIB, 0)).isZero();
    assertThat(w.consume(28 * KIB, 0)).isEqualTo(128 * KIB);
    assertThat(w.receive(184 * KIB)).as("56 KiB left + 128 KiB granted").isTrue();
    assertThat(w.receive(1)).isFalse();
  }

  @Test
  void shouldGrowWhenTheReaderEmptiesTheWindowWithinFewRoundTrips() {
    StreamReceiveWindow w = new StreamReceiveWindow(1 << 20);
    long slowLink = TimeUnit.SECONDS.toNanos(10);
    long granted = 0;
    for (int i = 0; i < 10; i++) {
      long half = w.window() / 2;
      w.receive(half);
      granted += w.consume(half, slowLink);
    }

    assertThat(w.window()).isEqualTo(1 << 20);
    assertThat(granted).isGreaterThan(10L * 128 * KIB);
  }

  @Test
  void shouldNotGrowWithoutARoundTripSample() {
    StreamReceiveWindow w = new StreamReceiveWindow(1 << 20);
    for (int i = 0; i < 10; i++) {
      w.receive(128 * KIB);
      w.consume(128 * KIB, 0);
    }

    assertThat(w.window()).isEqualTo(256 * KIB);
  }

  @Test
  void shouldAnnounceTheConfiguredInitialWindow() {
    StreamReceiveWindow w = new StreamReceiveWindow(16 << 20);

    assertThat(w.growInitial(1 << 20)).isEqualTo((1 << 20) - 256 * KIB);
    assertThat(w.receive(1 << 20)).isTrue();
  }
}
