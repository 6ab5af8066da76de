package io.meshlog.jmx.internal;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.jmx.api.DirectoryMXBean;
import io.meshlog.jmx.api.JmxCounter;
import io.meshlog.jmx.view.DirectoryView;
import io.meshlog.jmx.view.RegistrationInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.management.openmbean.TabularData;

/** {@code io.meshlog:type=Directory} over a {@link DirectoryView}. Thread-safe. */
public final class DirectoryBean implements DirectoryMXBean {

  private final DirectoryView view;
  private final ViewCalls calls;

  public DirectoryBean(DirectoryView view, CounterSet<JmxCounter> counters) {
    this.view = view;
    this.calls = new ViewCalls(counters);
  }

  @Override
  public int getRegistrationCount() {
    return calls.call(view::size);
  }

  @Override
  public int getTopicCount() {
    return calls.call(view::topics).size();
  }

  @Override
  public String getTopics() {
    return String.join(",", new TreeSet<>(calls.call(view::topics)));
  }

  @Override
  public TabularData getRegistrations() {
    return RegistrationsOpenType.of(
        calls.call(
            () -> {
              List<RegistrationInfo> all = new ArrayList<>();
              for (String topic : view.topics()) {
                all.addAll(view.registrations(topic));
              }
              return all;
            }));
  }

  @Override
  public TabularData registrations(String topic) {
    return RegistrationsOpenType.of(calls.call(() -> view.registrations(requireTopic(topic))));
  }

  @Override
  public TabularData discover(String topic) {
    return RegistrationsOpenType.of(calls.call(() -> view.discover(requireTopic(topic))));
  }

  @Override
  public boolean unregister(String peerId, String topic) {
    if (peerId == null || peerId.isBlank()) {
      throw new IllegalArgumentException("peerId is empty");
    }
    return calls.call(() -> view.unregister(peerId.trim(), requireTopic(topic)));
  }

  private static String requireTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic is empty");
    }
    return topic;
  }
}
