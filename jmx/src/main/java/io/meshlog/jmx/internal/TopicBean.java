package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.api.TopicMXBean;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.jmx.view.TopicOrderInfo;
import io.meshlog.jmx.view.TopicsView;
import java.time.Instant;

/**
 * {@code io.meshlog:type=Topic,name=<topic>} over a {@link TopicsView}. A topic the view no longer
 * knows reads as empty until the sampler unregisters its bean.
 *
 * <p>Thread-safe: {@link #sample} from the sampler thread (under {@link TopicBeans}' lock), the
 * getters from any thread.
 */
public final class TopicBean implements TopicMXBean {

  private final String topic;
  private final TopicsView view;
  private final ViewCalls calls;
  private long lastCount = -1; // sampler thread
  private long lastBytes;
  private long lastNanos;
  private volatile double messagesPerSecond;
  private volatile double bytesPerSecond;

  public TopicBean(String topic, TopicsView view, CounterSet<JmxCounter> counters) {
    this.topic = topic;
    this.view = view;
    this.calls = new ViewCalls(counters);
  }

  private TopicInfo info() {
    return calls
        .call(() -> view.topic(topic))
        .orElseGet(() -> TopicInfo.withoutLatency(topic, false, 0, 0, -1, 0, 0));
  }

  /**
   * Takes the sampler's reading at {@code nanos} (monotonic): the messages/s and bytes/s rates are
   * the change in the counts since the last reading at least {@link PeerBean#MIN_RATE_SECONDS}
   * before.
   */
  void sample(long nanos) {
    TopicInfo now = info();
    long count = now.messages();
    long bytes = now.bytes();
    if (lastCount < 0) {
      lastCount = count;
      lastBytes = bytes;
      lastNanos = nanos;
      return;
    }
    double seconds = (nanos - lastNanos) / 1e9;
    if (seconds >= PeerBean.MIN_RATE_SECONDS) {
      messagesPerSecond = PeerBean.rate(count - lastCount, seconds);
      bytesPerSecond = PeerBean.rate(bytes - lastBytes, seconds);
      lastCount = count;
      lastBytes = bytes;
      lastNanos = nanos;
    }
  }

  @Override
  public double getMessagesPerSecond() {
    return messagesPerSecond;
  }

  @Override
  public double getBytesPerSecond() {
    return bytesPerSecond;
  }

  @Override
  public long getBytes() {
    return info().bytes();
  }

  @Override
  public String getTopic() {
    return topic;
  }

  @Override
  public boolean isSubscribed() {
    return info().subscribed();
  }

  @Override
  public int getMeshPeers() {
    return info().meshPeers();
  }

  @Override
  public long getMessageCount() {
    return info().messages();
  }

  @Override
  public long getLastReceivedMillis() {
    return info().lastReceivedMillis();
  }

  @Override
  public String getLastReceived() {
    long millis = info().lastReceivedMillis();
    return millis < 0 ? "" : Instant.ofEpochMilli(millis).toString();
  }

  @Override
  public double getDeliveryLatencyP50Millis() {
    return info().latencyP50Millis();
  }

  @Override
  public double getDeliveryLatencyP90Millis() {
    return info().latencyP90Millis();
  }

  @Override
  public double getDeliveryLatencyP99Millis() {
    return info().latencyP99Millis();
  }

  @Override
  public double getDeliveryLatencyP999Millis() {
    return info().latencyP999Millis();
  }

  @Override
  public double getDeliveryLatencyMaxMillis() {
    return info().latencyMaxMillis();
  }

  @Override
  public long getDuplicates() {
    return info().duplicates();
  }

  @Override
  public long getRejects() {
    return info().rejects();
  }

  private TopicOrderInfo order() {
    return calls.call(() -> view.order(topic)).orElse(TopicOrderInfo.NONE);
  }

  @Override
  public long getLastFinalSeq() {
    return order().lastFinalSeq();
  }

  @Override
  public long getEpoch() {
    return order().epoch();
  }

  @Override
  public long getUnconfirmed() {
    return order().unconfirmed();
  }

  @Override
  public double getOldestUnconfirmedAgeSeconds() {
    long oldest = order().oldestUnconfirmedMillis();
    return oldest < 0 ? -1 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
  }

  @Override
  public long getReorders() {
    return order().reorders();
  }
}
