package io.meshlog.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LamportClockTest {

  @Test
  void shouldTickMonotonicallyFromStart() {
    LamportClock clock = new LamportClock(41);
    assertThat(clock.tick()).isEqualTo(42);
    assertThat(clock.tick()).isEqualTo(43);
    assertThat(clock.current()).isEqualTo(43);
  }

  @Test
  void shouldJumpPastALaterRemoteTime() {
    LamportClock clock = new LamportClock();
    clock.tick();
    assertThat(clock.witness(10)).isEqualTo(11);
    assertThat(clock.tick()).isEqualTo(12);
  }

  @Test
  void shouldStillAdvanceOnAnEarlierOrAbsentRemoteTime() {
    LamportClock clock = new LamportClock(20);
    assertThat(clock.witness(3)).isEqualTo(21);
    assertThat(clock.witness(MessageEnvelope.ABSENT)).isEqualTo(22);
  }

  @Test
  void shouldRejectNegativeStart() {
    assertThatThrownBy(() -> new LamportClock(-1)).hasMessageContaining("-1");
  }

  @Test
  void shouldNeverHandOutTheSameTimeTwiceAcrossThreads() throws Exception {
    LamportClock clock = new LamportClock();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean witness = t % 2 == 0;
        futures.add(
            pool.submit(
                () -> {
                  List<Long> seen = new ArrayList<>();
                  for (int i = 0; i < 10_000; i++) {
                    seen.add(witness ? clock.witness(i) : clock.tick());
                  }
                  return seen;
                }));
      }
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> f : futures) {
        all.addAll(f.get(5, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(40_000);
      assertThat(clock.current()).isEqualTo(40_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
