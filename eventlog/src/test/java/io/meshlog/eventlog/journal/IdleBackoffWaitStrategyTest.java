package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import io.meshlog.eventlog.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The journal consumers' default wait (SLEEPING): an idle consumer backs off to 5 ms parks instead
 * of waking every ~60 us for ever (an idle node's consumers used ~60 % of a core that way), and it
 * still sees the next event and an alert.
 */
class IdleBackoffWaitStrategyTest {

  @Test
  void shouldWakeAFewHundredTimesASecondWhenIdle() throws Exception {
    IdleBackoffWaitStrategy wait = new IdleBackoffWaitStrategy();
    RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8, wait);
    SequenceBarrier barrier = ring.newBarrier();
    CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> waitFor(barrier, 0));
    Await.until(
        "the consumer backed off", () -> wait.parks() > IdleBackoffWaitStrategy.SHORT_PARKS);

    // Idle for a measured half second: the parks taken in it are the wake-ups an idle node pays.
    long parks0 = wait.parks();
    long start = System.nanoTime();
    LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    long parks = wait.parks() - parks0;
    double seconds = (System.nanoTime() - start) / 1e9;
    // Backed off: one park per 5 ms (and the few shorter ones of the backoff); parking at the
    // first length, it took 8,000 and more.
    assertThat(parks / seconds).as("wake-ups a second while idle").isLessThan(500);

    long seq = ring.next();
    ring.get(seq)[0] = 42;
    ring.publish(seq);
    assertThat(waited.get(10, TimeUnit.SECONDS)).as("the published sequence").isEqualTo(seq);
  }

  @Test
  void shouldStopWaitingWhenAlerted() throws Exception {
    IdleBackoffWaitStrategy wait = new IdleBackoffWaitStrategy();
    RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8, wait);
    SequenceBarrier barrier = ring.newBarrier();
    CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> waitFor(barrier, 0));
    Await.until("the consumer parks", () -> wait.parks() > 0);
    barrier.alert();
    assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(AlertException.class);
  }

  private static long waitFor(SequenceBarrier barrier, long sequence) {
    try {
      return barrier.waitFor(sequence);
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
