package io.meshlog.jmx.internal;

import io.meshlog.jmx.api.NotificationTypes;
import io.meshlog.jmx.view.Health;

/**
 * Remembers a health and emits {@code io.meshlog.health.changed} when its state changes. The first
 * check only records: a node starting healthy is not news.
 *
 * <p>Not thread-safe: owned by the sampler thread.
 */
final class HealthWatch {

  private final String component;
  private final GatedEmitter emitter;
  private volatile Health last;

  HealthWatch(String component, GatedEmitter emitter) {
    this.component = component;
    this.emitter = emitter;
  }

  void check(Health now) {
    Health before = last;
    last = now;
    if (before == null || before.state() == now.state() || !emitter.active()) {
      return;
    }
    String message =
        component
            + " health "
            + before.state()
            + " -> "
            + now.state()
            + (now.reason().isEmpty() ? "" : ": " + now.reason());
    emitter.emit(
        NotificationTypes.HEALTH_CHANGED,
        message,
        NotificationData.of(
            null, null, null, null, now.reason(), before.state().name(), now.state().name()));
  }

  Health last() {
    return last;
  }
}
