package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.NodeMXBean;
import io.meshlog.jmx.view.NodeView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code io.meshlog:type=Node} over a {@link NodeView}. Health changes are noticed by {@link
 * #sample()}, which the sampler thread calls once per interval.
 *
 * <p>Thread-safe.
 */
public final class NodeBean implements NodeMXBean {

  private final NodeView view;
  private final ViewCalls calls;
  private final HealthWatch healthWatch;

  public NodeBean(NodeView view, CounterSet<JmxCounter> counters, GatedEmitter emitter) {
    this.view = view;
    this.calls = new ViewCalls(counters);
    this.healthWatch = new HealthWatch("node", emitter);
  }

  /** Checks the node's health; called by the sampler thread. */
  public void sample() {
    healthWatch.check(view.health());
  }

  @Override
  public String getPeerId() {
    return calls.call(view::peerId);
  }

  @Override
  public List<String> getListenAddresses() {
    return calls.call(view::listenAddresses);
  }

  @Override
  public String getAgentVersion() {
    return calls.call(view::agentVersion);
  }

  @Override
  public long getUptimeSeconds() {
    return Duration.between(calls.call(view::startedAt), Instant.now()).toSeconds();
  }

  @Override
  public String getStartTime() {
    return calls.call(view::startedAt).toString();
  }

  @Override
  public String getHealth() {
    return calls.call(view::health).state().name();
  }

  @Override
  public int getHealthState() {
    return calls.call(view::health).state().ordinal();
  }

  @Override
  public boolean isSequencerReachable() {
    return view.sequencerReachable();
  }

  @Override
  public String getHealthReason() {
    return calls.call(view::health).reason();
  }

  @Override
  public String publishTestMessage(String topic, String text) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic is empty");
    }
    byte[] data = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    return calls.call(() -> view.publish(topic, data));
  }

  @Override
  public double ping(String peerId) {
    Duration rtt = calls.call(() -> view.ping(peerId));
    return rtt.toNanos() / 1e6;
  }

  @Override
  public void reconnectMesh() {
    calls.run(view::reconnectMesh);
  }

  @Override
  public String connect(String multiaddr) {
    return calls.call(() -> view.connect(multiaddr));
  }

  @Override
  public void disconnect(String peerId) {
    calls.run(() -> view.disconnect(peerId));
  }
}
