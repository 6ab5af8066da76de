package io.meshlog.tools.report;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCycle;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Copies a time window of a node's journal into a new data directory that {@code meshlog replay}
 * reads: the library behind {@code meshlog journal export}. Works on the journal of a running node.
 *
 * <pre>
 *   source journal ──reader──► events before --from: kept only as state (whose journal, topics
 *        (being written)        joined, mesh peers per topic)
 *                              events in [from, to]: preamble of that state, then each event
 *                                                   ──► OUT.partial/journal ──rename──► OUT
 * </pre>
 *
 * <p>Consistent: the copy is a prefix of the journal as it was when the reader reached its end
 * (Chronicle records are read whole or not at all), cut to the window; it is written under {@code
 * OUT.partial} and renamed to {@code OUT} only when complete, so a reader never sees half an
 * export. The copy gets its own journal indexes (from 0) and node sequences; times, peers, ids and
 * every other field are kept.
 *
 * <p>The preamble says whose journal it is and what held at the start of the window, so that the
 * copy is analysable alone: when the window does not start with {@code NODE_STARTED}, the copy
 * starts with the last {@code NODE_STARTED} before the window (the first {@code JOURNAL_CYCLE} when
 * retention deleted it), a {@code JOIN} per topic the node was subscribed to and a {@code GRAFT}
 * per mesh peer, all stamped with the time of the window's first event (docs/journal.md, "Export").
 *
 * <p>Not thread-safe; one export per call.
 */
public final class JournalExport {
  private JournalExport() {}

  /**
   * What was exported.
   *
   * @param out the data directory written
   * @param eventsRead events read from the source
   * @param eventsWritten events written, preamble included
   * @param preamble events of the preamble
   * @param firstIndex source index of the first event in the window, -1 when none
   * @param lastIndex source index of the last event in the window, -1 when none
   */
  public record Result(
      Path out,
      long eventsRead,
      long eventsWritten,
      int preamble,
      long firstIndex,
      long lastIndex) {}

  /**
   * Exports the events of {@code journalDir} whose time lies in {@code [fromNanos, toNanos]} into
   * the new data directory {@code out} ({@code out/journal}).
   *
   * @throws IllegalArgumentException when {@code out} exists and is not an empty directory
   * @throws JournalException when the source cannot be read or the copy cannot be written
   */
  public static Result export(Path journalDir, long fromNanos, long toNanos, Path out) {
    if (Files.exists(out) && !emptyDirectory(out)) {
      throw new IllegalArgumentException(out + " exists and is not empty: give a new directory");
    }
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    deleteTree(partial);
    State state = new State();
    long read = 0;
    long written = 0;
    int preamble = 0;
    long first = -1;
    long last = -1;
    try (JournalReader reader = Journals.openReader(journalDir);
        Journal copy =
            Journals.open(
                JournalConfig.builder(partial.resolve("journal")).preallocateBytes(0).build(),
                List.of())) {
      while (true) {
        Event e = new Event(); // fresh each time: the sink keeps the arrays until written
        long index = reader.next(e);
        if (index < 0) {
          break;
        }
        read++;
        if (e.timeNanos() < fromNanos || e.timeNanos() > toNanos) {
          if (e.timeNanos() < fromNanos) {
            state.accept(e);
          }
          continue;
        }
        if (first < 0) {
          first = index;
          if (e.type() != EventType.NODE_STARTED) {
            for (Event p : state.preamble(e.timeNanos())) {
              copy.sink().publish(p);
              preamble++;
              written++;
            }
          }
        }
        copy.sink().publish(e);
        written++;
        last = index;
      }
    }
    try {
      if (Files.exists(out)) {
        Files.delete(out); // the empty directory the caller made
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + partial + " to " + out, e);
    }
    return new Result(out, read, written, preamble, first, last);
  }

  /** What held before the window: whose journal it is, topics joined, mesh peers per topic. */
  private static final class State {
    private Event started;
    private final TreeSet<String> topics = new TreeSet<>();
    private final Map<String, List<byte[]>> mesh = new TreeMap<>();

    void accept(Event e) {
      EventType type = e.type();
      if (type == null) {
        return;
      }
      switch (type) {
        case NODE_STARTED -> {
          started = e;
          mesh.clear(); // a new run starts with no mesh; a crash does not end a subscription
        }
        case NODE_STOPPED -> {
          mesh.clear();
          topics.clear();
        }
        case JOURNAL_CYCLE -> restate(e);
        case JOIN -> topics.add(e.topic());
        case LEAVE -> {
          topics.remove(e.topic());
          mesh.remove(e.topic());
        }
        case GRAFT -> {
          List<byte[]> peers = mesh.computeIfAbsent(e.topic(), t -> new ArrayList<>());
          if (e.peer() != null && peers.stream().noneMatch(p -> Arrays.equals(p, e.peer()))) {
            peers.add(e.peer());
          }
        }
        case PRUNE -> {
          List<byte[]> peers = mesh.get(e.topic());
          if (peers != null) {
            peers.removeIf(p -> Arrays.equals(p, e.peer()));
          }
        }
        case REMOVE_PEER -> {
          for (List<byte[]> peers : mesh.values()) {
            peers.removeIf(p -> Arrays.equals(p, e.peer()));
          }
        }
        default -> {}
      }
    }

    /**
     * A JOURNAL_CYCLE restates whose journal it is and the topics and mesh peers when its cycle
     * began: what the window needs when retention deleted the NODE_STARTED, JOINs and GRAFTs.
     */
    private void restate(Event e) {
      if (started == null && e.peer() != null) {
        started = e;
      }
      JournalCycle cycle = JournalCycle.tryDecode(e.data()).orElse(null);
      if (cycle == null) {
        return;
      }
      for (JournalCycle.Topic t : cycle.topics()) {
        topics.add(t.topic());
        List<byte[]> peers = mesh.computeIfAbsent(t.topic(), x -> new ArrayList<>());
        for (byte[] p : t.mesh()) {
          if (peers.stream().noneMatch(q -> Arrays.equals(q, p))) {
            peers.add(p);
          }
        }
      }
    }

    List<Event> preamble(long timeNanos) {
      List<Event> out = new ArrayList<>();
      if (started != null) {
        out.add(new Event().copyFrom(started).timeNanos(timeNanos));
      }
      for (String t : topics) {
        out.add(new Event().type(EventType.JOIN).topic(t).timeNanos(timeNanos));
      }
      for (Map.Entry<String, List<byte[]>> m : mesh.entrySet()) {
        for (byte[] p : m.getValue()) {
          out.add(
              new Event()
                  .type(EventType.GRAFT)
                  .topic(m.getKey())
                  .peer(p)
                  .direction(Direction.NONE)
                  .timeNanos(timeNanos));
        }
      }
      return out;
    }
  }

  private static boolean emptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the unfinished export " + dir, e);
    }
  }
}
