package io.meshlog.bench.eventlog;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.projection.PeerStats;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.eventlog.projection.TopicStats;
import io.meshlog.eventlog.projection.WriteCeiling;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures how fast events are applied to projections in a real RocksDB directory: an in-memory
 * stream of 128-byte events with a gossip-like mix over 100 peers and 16 topics goes through the
 * same handler the pipeline calls, in batches of 512 as a Disruptor would hand them over.
 *
 * <p>Per 100 events: 30 DELIVER_MESSAGE, 5 PUBLISH_MESSAGE, 15 DUPLICATE_MESSAGE, 20 RECV_RPC, 20
 * SEND_RPC, 3 PING_RTT, 2 GRAFT, 1 PRUNE, 1 CONNECTION_OPENED, 1 CONNECTION_CLOSED, 1
 * REJECT_MESSAGE, 1 SCORE_SNAPSHOT. The run checks its own result (a fast wrong run fails).
 */
public final class ProjectionBenchmark {

  /** Events per simulated Disruptor batch. */
  public static final int BATCH = 512;

  static final int PEERS = 100;
  static final int TOPICS = 16;
  static final int PAYLOAD = 128;

  private static final EventType[] MIX = mix();

  /**
   * Outcome of one run.
   *
   * @param events events applied
   * @param elapsedNanos wall-clock time spent applying and committing them
   * @param cpuNanos CPU time the whole process used meanwhile (RocksDB's background threads
   *     included), or -1 when the JVM cannot tell; on a shared machine this is the steadier figure
   * @param peers peer rows at the end
   * @param topics topic rows at the end
   */
  public record Result(long events, long elapsedNanos, long cpuNanos, int peers, int topics) {
    /** Applied events per wall-clock second. */
    public double eventsPerSecond() {
      return events * 1e9 / elapsedNanos;
    }

    /** Applied events per second of process CPU time, or -1 if unknown. */
    public double eventsPerCpuSecond() {
      return cpuNanos <= 0 ? -1 : events * 1e9 / cpuNanos;
    }

    @Override
    public String toString() {
      return String.format(
          "projections: %,d events in %.2f s = %,.0f events/s applied, %,.0f events per CPU-second"
              + " (%d peers, %d topics, batches of %d)",
          events,
          elapsedNanos / 1e9,
          eventsPerSecond(),
          eventsPerCpuSecond(),
          peers,
          topics,
          BATCH);
    }
  }

  private ProjectionBenchmark() {}

  /**
   * Applies {@code events} events to a new projection store in {@code dir} (which must be empty or
   * missing; it is left in place for inspection) and checks the resulting stats.
   *
   * @throws IllegalStateException when the projected stats do not match what was applied
   */
  public static Result run(Path dir, long events) {
    try (Projections projections = Projections.open(dir, ProjectionConfig.defaults())) {
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      Expected expected = feed(projections::onJournaled, events);
      long elapsed = System.nanoTime() - start;
      long cpu = cpuStart < 0 ? -1 : processCpuNanos() - cpuStart;
      check(projections, events, expected.messages, expected.recv);
      return new Result(
          events, elapsed, cpu, projections.peers().size(), projections.topics().size());
    }
  }

  /**
   * The RocksDB write ceiling for the rows the same event stream produces: {@code events} events
   * (the first ones of the stream {@link #run} applies) are applied once to record their rows, and
   * the rows are then written again, timed, into a fresh store under {@code dir}.
   */
  public static WriteCeiling.Result ceiling(Path dir, long events) {
    WriteCeiling.Result r =
        WriteCeiling.measure(dir, ProjectionConfig.defaults(), handler -> feed(handler, events));
    if (r.events() != events || r.rows() < events / 2) {
      throw new IllegalStateException(
          "ceiling run wrong: " + r.events() + " events, " + r.rows() + " rows");
    }
    return r;
  }

  private record Expected(long messages, long recv) {}

  /** Applies the benchmark's event stream to {@code handler}, in batches of {@link #BATCH}. */
  private static Expected feed(WriteCeiling.Applier handler, long events) {
    Random random = new Random(42);
    byte[][] peers = new byte[PEERS][];
    for (int i = 0; i < PEERS; i++) {
      peers[i] = new byte[38];
      random.nextBytes(peers[i]);
      peers[i][0] = 0;
      peers[i][1] = 36;
    }
    String[] topics = new String[TOPICS];
    for (int i = 0; i < TOPICS; i++) {
      topics[i] = "/meshlog/bench/topic-" + i;
    }
    byte[] payload = new byte[PAYLOAD];
    random.nextBytes(payload);
    byte[] messageId = new byte[32];
    Event event = new Event();
    long expectedMessages = 0;
    long expectedRecv = 0;
    long t0 = 1_700_000_000_000_000_000L;
    for (long i = 0; i < events; i++) {
      EventType type = MIX[(int) (i % MIX.length)];
      byte[] peer = peers[(int) ((i * 7919 + i / 100) % PEERS)];
      String topic = topics[(int) (i % TOPICS)];
      long time = t0 + i * 1_000;
      event.clear().type(type).timeNanos(time).sequence(i);
      switch (type) {
        case PUBLISH_MESSAGE:
        case DELIVER_MESSAGE:
          expectedMessages++;
          // The handler copies what it keeps, so the id array may change under it.
          writeLong(messageId, i);
          event
              .topic(topic)
              .messageId(messageId)
              .origin(peers[(int) (i % PEERS)])
              .originSeqno(i)
              .lamport(i / 3)
              .data(payload);
          if (type == EventType.DELIVER_MESSAGE) {
            event.peer(peer).value(time - 1_000_000 - (i % 1000) * 10_000);
          }
          break;
        case DUPLICATE_MESSAGE:
        case REJECT_MESSAGE:
          event.peer(peer).topic(topic).messageId(messageId);
          break;
        case RECV_RPC:
          expectedRecv++;
          event.peer(peer).size(PAYLOAD);
          break;
        case SEND_RPC:
          event.peer(peer).size(PAYLOAD);
          break;
        case GRAFT:
        case PRUNE:
          event.peer(peer).topic(topic).direction(Direction.OUTBOUND);
          break;
        default:
          event.peer(peer).value(i);
          break;
      }
      handler.apply(event, i, (i + 1) % BATCH == 0 || i == events - 1);
    }
    return new Expected(expectedMessages, expectedRecv);
  }

  private static void check(
      Projections projections, long events, long expectedMessages, long expectedRecv) {
    long messages = projections.topics().stream().mapToLong(TopicStats::messages).sum();
    long recv = projections.peers().stream().mapToLong(PeerStats::messagesIn).sum();
    if (projections.appliedIndex() != events - 1
        || messages != expectedMessages
        || recv != expectedRecv) {
      throw new IllegalStateException(
          "benchmark result wrong: applied index "
              + projections.appliedIndex()
              + ", topic messages "
              + messages
              + " (expected "
              + expectedMessages
              + "), RPCs in "
              + recv
              + " (expected "
              + expectedRecv
              + ")");
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  private static void writeLong(byte[] into, long v) {
    for (int b = 0; b < 8; b++) {
      into[b] = (byte) (v >>> (56 - 8 * b));
    }
  }

  private static EventType[] mix() {
    EventType[] mix = new EventType[100];
    int n = 0;
    n = fill(mix, n, EventType.DELIVER_MESSAGE, 30);
    n = fill(mix, n, EventType.PUBLISH_MESSAGE, 5);
    n = fill(mix, n, EventType.DUPLICATE_MESSAGE, 15);
    n = fill(mix, n, EventType.RECV_RPC, 20);
    n = fill(mix, n, EventType.SEND_RPC, 20);
    n = fill(mix, n, EventType.PING_RTT, 3);
    n = fill(mix, n, EventType.GRAFT, 2);
    n = fill(mix, n, EventType.PRUNE, 1);
    n = fill(mix, n, EventType.CONNECTION_OPENED, 1);
    n = fill(mix, n, EventType.CONNECTION_CLOSED, 1);
    n = fill(mix, n, EventType.REJECT_MESSAGE, 1);
    n = fill(mix, n, EventType.SCORE_SNAPSHOT, 1);
    // Interleave the kinds, as a real stream would: stride 37 is coprime with 100.
    EventType[] interleaved = new EventType[n];
    for (int i = 0; i < n; i++) {
      interleaved[i] = mix[(i * 37) % n];
    }
    return interleaved;
  }

  private static int fill(EventType[] mix, int from, EventType type, int count) {
    for (int i = 0; i < count; i++) {
      mix[from + i] = type;
    }
    return from + count;
  }
}
