package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.JournalReader;
import java.util.ArrayList;
import java.util.List;

/** A journal held in a list, for tests: indexes start at {@code firstIndex}. */
final class MemoryJournal {

  private final List<Event> events = new ArrayList<>();
  private final long firstIndex;

  MemoryJournal() {
    this(0);
  }

  MemoryJournal(long firstIndex) {
    this.firstIndex = firstIndex;
  }

  /** Appends a copy of the event and returns its index. */
  long append(Event event) {
    events.add(new Event().copyFrom(event));
    return firstIndex + events.size() - 1;
  }

  long lastIndex() {
    return firstIndex + events.size() - 1;
  }

  Event get(long index) {
    return events.get((int) (index - firstIndex));
  }

  int size() {
    return events.size();
  }

  JournalReader reader() {
    return new JournalReader() {
      private int position;

      @Override
      public void toStart() {
        position = 0;
      }

      @Override
      public void toAfter(long index) {
        position = (int) Math.max(0, Math.min(events.size(), index - firstIndex + 1));
      }

      @Override
      public long next(Event into) {
        if (position >= events.size()) {
          return -1;
        }
        into.copyFrom(events.get(position));
        return firstIndex + position++;
      }

      @Override
      public void close() {}
    };
  }

  /** Feeds {@code [from, to]} to a handler with a batch boundary every {@code batch} events. */
  void feed(Projections projections, long from, long to, int batch) {
    int n = 0;
    Event scratch = new Event();
    for (long i = from; i <= to; i++) {
      scratch.copyFrom(get(i));
      projections.onJournaled(scratch, i, ++n % batch == 0 || i == to);
    }
  }
}
