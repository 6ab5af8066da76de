package io.meshlog.tools.command;

import io.meshlog.bench.gossip.GossipBenchmark;
import io.meshlog.bench.replay.ReplayBenchmark;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.RetentionHold;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.ExportException;
import io.meshlog.export.kafka.KafkaShipper;
import io.meshlog.export.kafka.KafkaTopics;
import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import io.meshlog.tools.report.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog bench kafka --kafka BOOTSTRAP}: the shipper's figures against a running broker,
 * each run checking its own result (docs/export.md, "Figures").
 *
 * <ul>
 *   <li><b>drain</b>: events/s shipped from a full journal, from its start, to a new topic; every
 *       record must be acknowledged.
 *   <li><b>gossip cost</b>: 1 -> 1 gossip throughput with both sides journaling, next to the same
 *       run with both journals also shipped live (as {@code export.kafka.*} does in a node); each
 *       shipped run must have shipped every record.
 *   <li><b>replay</b>: the replay analysis over the nodes' data directories, next to replay from
 *       the topic they were shipped to (read-back included); both reports must agree.
 * </ul>
 *
 * Exit 0 when every self-check passed, 1 when one failed, 2 on bad options, 3 when Kafka cannot be
 * reached.
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description =
        "Kafka shipper drain rate, cost of live shipping on gossip, replay from Kafka against"
            + " replay from data directories; needs a running broker.")
final class KafkaBenchCommand implements Callable<Integer> {
  /** The goal for the backlog drain; a loaded machine's figure does not decide it. */
  static final double TARGET_DRAIN_EVENTS_PER_SECOND = 500_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--kafka", required = true, description = "Bootstrap servers of a broker.")
  String kafka;

  @Option(
      names = "--kafka-property",
      description = "A Kafka client property, key=value (repeatable).")
  Map<String, String> properties = new LinkedHashMap<>();

  @CommandLine.Mixin ScratchDirOption scratch;

  @Option(
      names = "--events",
      defaultValue = "1000000",
      description = "Events of the drained journal (about 5 per message).")
  long events;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each figure.")
  int runs;

  @Option(names = "--replay-nodes", defaultValue = "3", description = "Nodes of the replay run.")
  int replayNodes;

  @Option(
      names = "--replay-messages",
      defaultValue = "40000",
      description = "Messages of the replay run (about 5 events per message and node).")
  int replayMessages;

  @Option(
      names = "--gossip-messages",
      defaultValue = "5000",
      description = "Messages of each gossip round.")
  int gossipMessages;

  @Option(
      names = "--only",
      description = "Only these figures: drain, gossip, replay (repeatable). Default: all.")
  List<String> only = new ArrayList<>();

  @CommandLine.Mixin BenchRunOptions run;

  private final long stamp = System.currentTimeMillis();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (events < 10 || runs < 1 || replayNodes < 2 || replayMessages < 1 || gossipMessages < 1) {
      throw CommandFailure.usage("--events >= 10, --runs >= 1, --replay-nodes >= 2, messages > 0");
    }
    for (String o : only) {
      if (!List.of("drain", "gossip", "replay").contains(o)) {
        throw CommandFailure.usage("--only takes drain, gossip or replay, not " + o);
      }
    }
    Path parent = scratch.parent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "meshlog-kafka-bench-");
    try {
      if (wanted("drain")) {
        print(out, "drain", drain(work.resolve("drain")));
      }
      if (wanted("gossip")) {
        print(out, "gossip-cost", gossipCost(work.resolve("gossip")));
      }
      if (wanted("replay")) {
        print(out, "replay", replay(work.resolve("replay")));
      }
      return ExitCode.OK;
    } catch (ExportException | IllegalStateException e) {
      // ExportException: the broker refused or could not be reached, so the run could not check
      // its result; IllegalStateException: a self-check failed.
      throw CommandFailure.failed(e.getMessage());
    } finally {
      ScratchDirOption.deleteRecursively(work);
    }
  }

  private boolean wanted(String figure) {
    return only.isEmpty() || only.contains(figure);
  }

  /** Figures of runs: each run's value and min/median/max, with a unit. */
  record Runs(String what, String unit, double[] values, String note) {
    double min() {
      return Arrays.stream(values).min().orElse(Double.NaN);
    }

    double max() {
      return Arrays.stream(values).max().orElse(Double.NaN);
    }

    double median() {
      double[] v = values.clone();
      Arrays.sort(v);
      return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
      StringBuilder each = new StringBuilder();
      for (double v : values) {
        each.append(String.format(Locale.ROOT, " %.0f", v));
      }
      return String.format(
          Locale.ROOT,
          "%s: min %.0f / median %.0f / max %.0f %s (runs:%s)%s",
          what,
          min(),
          median(),
          max(),
          unit,
          each,
          note.isEmpty() ? "" : "; " + note);
    }
  }

  private ExportConfig config(String topic) {
    ExportConfig.Builder b = ExportConfig.builder().bootstrapServers(kafka).topic(topic);
    properties.forEach(b::clientProperty);
    return b.build();
  }

  /** Ships one full journal from its start, {@code runs} times, each to a new topic. */
  private List<Runs> drain(Path root) {
    int messages = (int) Math.max(1, events / ReplayBenchmark.EVENTS_PER_MESSAGE);
    // Two nodes: the first one's journal holds its publications and the other's deliveries.
    Path dir = ReplayBenchmark.write(root, 2, messages).get(0);
    long records = records(dir);
    if (!run.noWarmup) {
      ship(dir, "meshlog-bench-drain-" + stamp + "-warmup", records);
    }
    double[] rate = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      ship(dir, "meshlog-bench-drain-" + stamp + "-" + r, records);
      rate[r] = records * 1e9 / (System.nanoTime() - t0);
    }
    String note =
        String.format(
            Locale.ROOT,
            "%d records of one journal; goal >= %.0f events/s (on an idle machine)",
            records,
            TARGET_DRAIN_EVENTS_PER_SECOND);
    return List.of(new Runs("drain, journal -> Kafka", "events/s", rate, note));
  }

  private void ship(Path dir, String topic, long records) {
    KafkaTopics.create(kafka, topic, 1, properties);
    RetentionHold.write(EventLog.journalDir(dir), KafkaShipper.HOLD, -1, "");
    CounterSet<ExportCounter> counters = CounterSet.of(ExportCounter.class);
    try (KafkaShipper s = KafkaShipper.open(dir, config(topic), null, counters)) {
      long shipped = s.run(true);
      if (shipped != records) {
        throw new IllegalStateException(
            "drain: Kafka acknowledged " + shipped + " of " + records + " records");
      }
    }
  }

  /**
   * Paired rounds of the 1 -> 1 gossip run, both sides journaling: alone, and with both journals
   * shipped live. Pairing cancels most of what other load on the machine does to either.
   */
  private List<Runs> gossipCost(Path root) throws Exception {
    String topic = "meshlog-bench-gossip-" + stamp;
    KafkaTopics.create(kafka, topic, 2, properties);
    GossipBenchmark.Settings s = new GossipBenchmark.Settings(gossipMessages, 1024, 500);
    if (!run.noWarmup) {
      GossipBenchmark.run(new GossipBenchmark.Settings(2_000, 1024, 500));
    }
    double[] alone = new double[runs];
    double[] shipping = new double[runs];
    double[] ratio = new double[runs];
    for (int r = 0; r < runs; r++) {
      // Alternate which goes first, so that a trend in the machine's load favours neither.
      if (r % 2 == 0) {
        alone[r] = gossipRound(root.resolve(r + "-alone"), s, null);
        shipping[r] = gossipRound(root.resolve(r + "-shipping"), s, topic);
      } else {
        shipping[r] = gossipRound(root.resolve(r + "-shipping"), s, topic);
        alone[r] = gossipRound(root.resolve(r + "-alone"), s, null);
      }
      ratio[r] = shipping[r] / alone[r];
    }
    double[] cost = Arrays.stream(ratio).map(x -> (1 - x) * 100).toArray();
    return List.of(
        new Runs("gossip 1 -> 1, journaling", "msg/s", alone, ""),
        new Runs("gossip 1 -> 1, journaling + shipping both journals", "msg/s", shipping, ""),
        new Runs(
            "cost of live shipping on gossip throughput (paired rounds)",
            "%",
            cost,
            "negative: the shipping round was faster (noise)"));
  }

  /** One journaled gossip round; with {@code topic}, both journals shipped while it runs. */
  private double gossipRound(Path root, GossipBenchmark.Settings s, String topic) throws Exception {
    Path pub = root.resolve("pub");
    Path sub = root.resolve("sub");
    Map<String, String> props = Map.of("journal.preallocateBytes", "0");
    try (EventLog pubLog = EventLog.open(pub, props);
        EventLog subLog = EventLog.open(sub, props)) {
      byte[] pubId = peer(1);
      byte[] subId = peer(2);
      pubLog.sink().publish(new Event().type(EventType.NODE_STARTED).peer(pubId).text("bench"));
      subLog.sink().publish(new Event().type(EventType.NODE_STARTED).peer(subId).text("bench"));
      List<KafkaShipper.Running> shippers = new ArrayList<>();
      List<CounterSet<ExportCounter>> counters = new ArrayList<>();
      try {
        if (topic != null) {
          for (int i = 0; i < 2; i++) {
            CounterSet<ExportCounter> c = CounterSet.of(ExportCounter.class);
            counters.add(c);
            shippers.add(
                KafkaShipper.start(i == 0 ? pub : sub, config(topic), i == 0 ? pubId : subId, c));
          }
        }
        double rate = GossipBenchmark.run(s, pubLog.sink(), subLog.sink()).messagesPerSec();
        // The round's hosts are closed, nothing publishes any more; a shipper told to finish
        // stops at the first read that finds nothing, so the journals must hold everything first.
        written(pubLog);
        written(subLog);
        return rate;
      } finally {
        for (KafkaShipper.Running r : shippers) {
          r.close();
        }
        if (topic != null) {
          checkShipped(pubLog, pub, counters.get(0));
          checkShipped(subLog, sub, counters.get(1));
        }
      }
    }
  }

  /** Waits until every event published into {@code log}'s ring is journaled (30 s at most). */
  private static void written(EventLog log) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (log.journal().ringRemainingCapacity() < log.journal().ringSize()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gossip: the journal did not drain its ring in 30 s");
      }
      Thread.sleep(1);
    }
  }

  private static void checkShipped(EventLog log, Path dir, CounterSet<ExportCounter> c) {
    long appended = log.journal().appendedIndex();
    if (c.get(ExportCounter.SHIPPED_INDEX) < appended) {
      throw new IllegalStateException(
          "gossip: the shipper of "
              + dir
              + " stopped at index "
              + c.get(ExportCounter.SHIPPED_INDEX)
              + ", the journal had "
              + appended);
    }
  }

  /** Replay over the data directories next to replay from the topic they were shipped to. */
  private List<Runs> replay(Path root) {
    List<Path> dirs = ReplayBenchmark.write(root, replayNodes, replayMessages);
    String topic = "meshlog-bench-replay-" + stamp;
    KafkaTopics.create(kafka, topic, Math.min(replayNodes, 8), properties);
    long total = 0;
    for (Path d : dirs) {
      long records = records(d);
      ship(d, topic, records);
      total += records;
    }
    ReplayOptions options = ReplayOptions.defaults();
    if (!run.noWarmup) {
      ReplayAnalysis.analyze(dirs, options);
    }
    double[] fromDirs = new double[runs];
    double[] fromKafka = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      ReplayReport local = ReplayAnalysis.analyze(dirs, options);
      fromDirs[r] = total * 1e9 / (System.nanoTime() - t0);
      long t1 = System.nanoTime();
      ReplayReport kafkaReport;
      try (KafkaReplayInput in = KafkaReplayInput.read(kafka, topic, properties)) {
        kafkaReport = in.relabel(ReplayAnalysis.analyze(in.dataDirs, options));
      }
      fromKafka[r] = total * 1e9 / (System.nanoTime() - t1);
      if (!kafkaReport.summary().equals(local.summary())
          || kafkaReport.messages().size() != local.messages().size()) {
        throw new IllegalStateException(
            "replay: from Kafka "
                + kafkaReport.summary()
                + ", from directories "
                + local.summary());
      }
    }
    String note = String.format(Locale.ROOT, "%d nodes, %d events in all", dirs.size(), total);
    return List.of(
        new Runs("replay --data-dir", "events/s", fromDirs, note),
        new Runs("replay --kafka (read-back + analysis)", "events/s", fromKafka, note));
  }

  private static long records(Path dataDir) {
    long n = 0;
    try (JournalCopy.Source s = Journals.openCopySource(EventLog.journalDir(dataDir))) {
      while (s.next() >= 0) {
        n++;
      }
    }
    return n;
  }

  private void print(PrintWriter out, String name, List<Runs> figures) {
    for (Runs f : figures) {
      if (run.json()) {
        BenchReport.json(out, "kafka", name, f);
      } else {
        out.println(f);
      }
    }
    out.flush();
  }

  /** A made-up identity-multihash peer id for a gossip round's journal. */
  private static byte[] peer(int n) {
    byte[] p = new byte[38];
    p[1] = 36;
    Arrays.fill(p, 2, p.length, (byte) (n * 7 + 1));
    return p;
  }
}
