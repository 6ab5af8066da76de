package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.jmx.view.LatencySnapshot;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Live delivery latencies are measurements: each percentile equals the exact one computed from the
 * DELIVER records' times within HdrHistogram's precision, per topic and per forwarding peer; the
 * percentiles describe the last minute while count and sum stay; skewed clocks and removed peers
 * are handled.
 */
class LiveLatenciesTest {

  private static final long PUBLISHED = 1_700_000_000_000_000_000L;
  private static final byte[] PEER = {0, 36, 8, 1, 18, 32, 7, 7, 7, 7};

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final LiveLatencies latencies = new LiveLatencies(clock::get);
  private final LiveMeshState mesh = new LiveMeshState();

  private void deliver(LiveLatencies into, String topic, byte[] peer, long latencyNanos) {
    Event e =
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .topic(topic)
            .peer(peer)
            .timeNanos(PUBLISHED + latencyNanos)
            .value(PUBLISHED);
    into.record(e);
  }

  @Test
  void shouldReadPercentilesWithinOnePercentOfTheExactOnes() {
    Random random = new Random(42);
    long[] samples = new long[5_000];
    for (int i = 0; i < samples.length; i++) {
      // 0.2 ms .. ~2 s, log-spread as gossip latencies are
      samples[i] = (long) (200_000 * Math.pow(10_000, random.nextDouble()));
      deliver(latencies, "chat", PEER, samples[i]);
    }
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    LatencySnapshot topic = latencies.topic("chat").orElseThrow();
    LatencySnapshot peer = latencies.peer(Base58.encode(PEER)).orElseThrow();
    assertThat(peer).isEqualTo(topic);
    assertThat(topic.count()).isEqualTo(samples.length);
    assertThat(topic.sumNanos()).isEqualTo(Arrays.stream(samples).sum());
    double[] ps = {50, 90, 99, 99.9};
    long[] read = {topic.p50Nanos(), topic.p90Nanos(), topic.p99Nanos(), topic.p999Nanos()};
    for (int i = 0; i < ps.length; i++) {
      long exact = sorted[(int) Math.ceil(ps[i] / 100 * sorted.length) - 1];
      assertThat((double) read[i]).as("p%s", ps[i]).isCloseTo(exact, withPercentage(1));
    }
    assertThat((double) topic.maxNanos()).isCloseTo(sorted[sorted.length - 1], withPercentage(1));
  }

  @Test
  void shouldForgetTheWindowAfterAMinuteButKeepCountAndSum() {
    deliver(latencies, "chat", PEER, 5_000_000);
    assertThat(latencies.topic("chat").orElseThrow().windowCount()).isEqualTo(1);
    clock.addAndGet(LatencyWindow.SLOT_NANOS * LatencyWindow.SLOTS + 1);
    LatencySnapshot later = latencies.topic("chat").orElseThrow();
    assertThat(later.windowCount()).isZero();
    assertThat(later.p50Nanos()).isEqualTo(-1);
    assertThat(later.count()).isEqualTo(1);
    assertThat(later.sumNanos()).isEqualTo(5_000_000);
  }

  @Test
  void shouldCountSkewedClocksAndForgetRemovedPeers() {
    deliver(mesh.latencies(), "chat", PEER, -3_000_000);
    assertThat(mesh.latencies().skewed()).isEqualTo(1);
    assertThat(mesh.latencies().topic("chat")).isEmpty();

    // Through the journal consumer: a delivery is measured, a REMOVE_PEER drops the peer's.
    mesh.onJournaled(
        new Event()
            .type(EventType.DELIVER_MESSAGE)
            .topic("chat")
            .peer(PEER.clone())
            .timeNanos(PUBLISHED + 2_000_000)
            .value(PUBLISHED),
        1,
        true);
    assertThat(mesh.latencies().peer(Base58.encode(PEER))).isPresent();
    mesh.onJournaled(new Event().type(EventType.REMOVE_PEER).peer(PEER.clone()), 2, true);
    assertThat(mesh.latencies().peer(Base58.encode(PEER))).isEmpty();
    assertThat(mesh.latencies().topic("chat").orElseThrow().count()).isEqualTo(1);
  }
}
