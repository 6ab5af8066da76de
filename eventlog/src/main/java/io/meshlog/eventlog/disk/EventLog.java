package io.meshlog.eventlog.disk;

import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCounter;
import io.meshlog.eventlog.JournalHealth;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.JournaledEventHandler;
import io.meshlog.eventlog.projection.OrderingCursor;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's event log: the journal in {@code <data-dir>/journal} with the projections in {@code
 * <data-dir>/projections} fed behind it. What the node opens at start and closes at stop.
 *
 * <pre>
 *  open:   projections (a corrupt or outdated directory is reset) ─► journal pipeline started
 *          with the projections as a gated handler ─► projections caught up from their
 *          checkpoint with a journal reader ─► sink handed out
 *  run:    sink ─► ring ─► journal ─► projections (one RocksDB batch per ring batch)
 * </pre>
 *
 * <p>Catch-up runs on the opening thread before the sink is handed out, so the projection handler's
 * thread sees no event until catch-up is complete; events it is then handed at or below the
 * checkpoint are skipped.
 *
 * <p>Thread-safe, like its parts. {@link #close()} drains the ring, then closes the projections.
 */
public final class EventLog implements AutoCloseable {

  private final Path dataDir;
  private final Journal journal;
  private final Projections projections;

  private EventLog(Path dataDir, Journal journal, Projections projections) {
    this.dataDir = dataDir;
    this.journal = journal;
    this.projections = projections;
  }

  /**
   * Opens the event log of {@code dataDir} with settings from {@code props} ({@code journal.*} and
   * {@code projections.*} keys; absent keys keep their defaults).
   *
   * @throws IllegalArgumentException naming the first invalid key
   * @throws JournalException when the journal cannot be opened
   * @throws io.meshlog.eventlog.projection.ProjectionException when the projections were written by
   *     a newer meshlog (VERSION_UNSUPPORTED) or RocksDB fails (STORAGE)
   */
  public static EventLog open(Path dataDir, Map<String, String> props) {
    return open(
        dataDir,
        JournalConfig.fromProperties(journalDir(dataDir), props),
        ProjectionConfig.fromProperties(props));
  }

  /** Opens the event log with explicit configs; the journal config names its own directory. */
  public static EventLog open(
      Path dataDir, JournalConfig journalConfig, ProjectionConfig projectionConfig) {
    return open(dataDir, journalConfig, projectionConfig, List.of());
  }

  /**
   * As {@link #open(Path, JournalConfig, ProjectionConfig)}, with further journal consumers (live
   * JMX state, say) run behind the journal beside the projections, each on its own thread. They see
   * new events only: catch-up is for the projections alone.
   */
  public static EventLog open(
      Path dataDir,
      JournalConfig journalConfig,
      ProjectionConfig projectionConfig,
      List<? extends JournaledEventHandler> handlers) {
    Projections projections = Projections.openOrReset(projectionsDir(dataDir), projectionConfig);
    Journal journal;
    try {
      List<JournaledEventHandler> all = new ArrayList<>();
      all.add(projections);
      all.addAll(handlers);
      journal = Journals.open(journalConfig, all);
    } catch (RuntimeException e) {
      projections.close();
      throw e;
    }
    try (JournalReader reader = journal.reader()) {
      projections.catchUp(reader);
    } catch (RuntimeException e) {
      journal.close();
      projections.close();
      throw e;
    }
    return new EventLog(dataDir, journal, projections);
  }

  /** {@code <data-dir>/journal}. */
  public static Path journalDir(Path dataDir) {
    return dataDir.resolve("journal");
  }

  /** {@code <data-dir>/projections}. */
  public static Path projectionsDir(Path dataDir) {
    return dataDir.resolve("projections");
  }

  /** Where producers publish P2P events. */
  public EventSink sink() {
    return journal.sink();
  }

  /** The journal, for readers, tailers and its counters. */
  public Journal journal() {
    return journal;
  }

  /** The projections, for their views and counters. */
  public Projections projections() {
    return projections;
  }

  /** Journal index of the last event written, -1 if none. */
  public long appendedIndex() {
    return journal.appendedIndex();
  }

  /** Journal index of the last event the projections committed, -1 if none. */
  public long appliedIndex() {
    return projections.appliedIndex();
  }

  /**
   * Events journaled but not yet committed to the projections: the journal's node sequence minus
   * the projections' (journal indexes jump at cycle files, node sequences do not).
   */
  public long lag() {
    return Math.max(
        0, journal.counter(JournalCounter.NODE_SEQUENCE) - projections.appliedSequence());
  }

  /**
   * The journal's health, downgraded to LAGGING when the projections stopped applying after a
   * failed commit (they resume from their checkpoint when reopened).
   */
  public JournalHealth health() {
    JournalHealth health = journal.health();
    if (health.state() == JournalHealth.State.OK && !projections.healthy()) {
      return JournalHealth.lagging(
          "projections in " + projections.directory() + " stopped after a failed commit");
    }
    return health;
  }

  public List<PeerStats> peers() {
    return projections.peers();
  }

  public Optional<PeerStats> peer(byte[] peerId) {
    return projections.peer(peerId);
  }

  public List<TopicStats> topics() {
    return projections.topics();
  }

  public Optional<TopicStats> topic(String topic) {
    return projections.topic(topic);
  }

  /** The ordering index of a topic in Lamport order; close the cursor. */
  public OrderingCursor orderingIndex(String topic) {
    return projections.orderingIndex(topic);
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Drains and closes the journal (the projections apply every journaled event), then closes them.
   */
  @Override
  public void close() {
    try {
      journal.close();
    } finally {
      projections.close();
    }
  }
}
