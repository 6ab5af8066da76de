package io.meshlog.node.p2p;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps a copy of every event published, for tests. Thread-safe. */
public final class RecordingEventSink implements EventSink {
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void publish(Event event) {
    events.add(new Event().copyFrom(event));
  }

  public List<Event> ofType(EventType type) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.type() == type) {
        out.add(e);
      }
    }
    return out;
  }

  public List<String> texts(EventType type) {
    List<String> out = new ArrayList<>();
    for (Event e : ofType(type)) {
      out.add(e.text());
    }
    return out;
  }
}
