package io.meshlog.jmx.internal;

import io.meshlog.jmx.api.PeerMXBean;
import io.meshlog.jmx.view.LatencySnapshot;
import io.meshlog.jmx.view.LatencyView;
import io.meshlog.jmx.view.PeerInfo;
import java.util.TreeSet;

/**
 * {@code io.meshlog:type=Peer,name=<peer>}: the last {@link PeerInfo} the sampler saw and the rates
 * between its last two passes. Latencies are read live.
 *
 * <p>Thread-safe: {@link #update} from the sampler thread, getters from any thread see one whole
 * update (a volatile reference to an immutable sample).
 */
final class PeerBean implements PeerMXBean {

  private record Sample(
      PeerInfo info,
      long nanos,
      double messagesInRate,
      double messagesOutRate,
      double bytesInRate,
      double bytesOutRate) {}

  /** Readings closer together than this give no rate. */
  static final double MIN_RATE_SECONDS = 0.1;

  private final String peerId;
  private final LatencyView latencies;
  private volatile Sample sample;

  PeerBean(PeerInfo first, long nanos, LatencyView latencies) {
    this.peerId = first.peerId();
    this.latencies = latencies;
    this.sample = new Sample(first, nanos, 0, 0, 0, 0);
  }

  /** Takes the sampler's next reading of this peer, taken at {@code nanos} (monotonic). */
  void update(PeerInfo next, long nanos) {
    Sample last = sample;
    double seconds = (nanos - last.nanos()) / 1e9;
    if (seconds < MIN_RATE_SECONDS) {
      // Too close to the last reading for a rate (an extra refresh): keep the rates and baseline.
      sample =
          new Sample(
              next,
              last.nanos(),
              last.messagesInRate(),
              last.messagesOutRate(),
              last.bytesInRate(),
              last.bytesOutRate());
      return;
    }
    PeerInfo p = last.info();
    sample =
        new Sample(
            next,
            nanos,
            rate(next.messagesIn() - p.messagesIn(), seconds),
            rate(next.messagesOut() - p.messagesOut(), seconds),
            rate(next.bytesIn() - p.bytesIn(), seconds),
            rate(next.bytesOut() - p.bytesOut(), seconds));
  }

  static double rate(long delta, double seconds) {
    // Counts come from the projections, which may be rebuilt: a step back is no negative rate.
    return Math.max(0, delta) / seconds;
  }

  private PeerInfo info() {
    return sample.info();
  }

  private LatencySnapshot latency() {
    return latencies == null
        ? LatencySnapshot.NONE
        : latencies.peer(peerId).orElse(LatencySnapshot.NONE);
  }

  private static double millis(long nanos) {
    return nanos < 0 ? -1 : nanos / 1e6;
  }

  @Override
  public String getPeerId() {
    return peerId;
  }

  @Override
  public String getDirection() {
    return info().direction();
  }

  @Override
  public String getConnectionType() {
    return info().connectionType();
  }

  @Override
  public String getRemoteAddress() {
    return info().remoteAddress();
  }

  @Override
  public String getReachability() {
    return info().reachability();
  }

  @Override
  public String getAgent() {
    return info().agent();
  }

  @Override
  public String getTopics() {
    return String.join(",", new TreeSet<>(info().topics()));
  }

  @Override
  public String getGraylisted() {
    return info().graylisted();
  }

  @Override
  public double getRttMillis() {
    return info().latencyMillis();
  }

  @Override
  public double getScore() {
    return info().score();
  }

  @Override
  public long getMessagesIn() {
    return info().messagesIn();
  }

  @Override
  public long getMessagesOut() {
    return info().messagesOut();
  }

  @Override
  public long getBytesIn() {
    return info().bytesIn();
  }

  @Override
  public long getBytesOut() {
    return info().bytesOut();
  }

  @Override
  public double getMessagesInPerSecond() {
    return sample.messagesInRate();
  }

  @Override
  public double getMessagesOutPerSecond() {
    return sample.messagesOutRate();
  }

  @Override
  public double getBytesInPerSecond() {
    return sample.bytesInRate();
  }

  @Override
  public long getDuplicates() {
    return info().duplicates();
  }

  @Override
  public long getFailureStreak() {
    return info().failureStreak();
  }

  @Override
  public double getBytesOutPerSecond() {
    return sample.bytesOutRate();
  }

  @Override
  public double getDeliveryLatencyP50Millis() {
    return millis(latency().p50Nanos());
  }

  @Override
  public double getDeliveryLatencyP99Millis() {
    return millis(latency().p99Nanos());
  }

  @Override
  public double getDeliveryLatencyMaxMillis() {
    return millis(latency().maxNanos());
  }

  @Override
  public long getDeliveries() {
    return latency().count();
  }
}
