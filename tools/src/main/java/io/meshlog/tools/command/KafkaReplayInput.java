package io.meshlog.tools.command;

import io.meshlog.export.ExportException;
import io.meshlog.export.kafka.KafkaJournals;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code meshlog replay --kafka}: the topic's records laid down as one journal per node in a temp
 * directory (same bytes, same journal indexes), which the replay analysis reads as it reads data
 * directories; the report then names each such node's source {@code kafka:<topic>} instead of the
 * temp directory, which is deleted after the analysis.
 */
final class KafkaReplayInput implements AutoCloseable {
  final Path tempDir;
  final List<Path> dataDirs;
  final KafkaJournals.Result result;
  private final Map<String, String> labels = new HashMap<>();

  private KafkaReplayInput(Path tempDir, KafkaJournals.Result result, String topic) {
    this.tempDir = tempDir;
    this.result = result;
    this.dataDirs = new ArrayList<>(result.dataDirs().values());
    for (Path p : dataDirs) {
      labels.put(p.toString(), "kafka:" + topic);
    }
  }

  /**
   * Reads {@code topic} up to its end offsets as they are now.
   *
   * @throws ExportException when Kafka or the topic cannot be read
   */
  static KafkaReplayInput read(String bootstrap, String topic, Map<String, String> props) {
    Path tmp;
    try {
      tmp = Files.createTempDirectory("meshlog-replay-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new KafkaReplayInput(tmp, KafkaJournals.read(bootstrap, topic, props, tmp), topic);
    } catch (RuntimeException e) {
      delete(tmp);
      throw e;
    }
  }

  /** The report with each Kafka node's data directory shown as its source. */
  ReplayReport relabel(ReplayReport r) {
    List<ReplayReport.NodeSummary> nodes = new ArrayList<>();
    for (ReplayReport.NodeSummary n : r.nodes()) {
      nodes.add(
          new ReplayReport.NodeSummary(
              n.node(),
              labels.getOrDefault(n.dataDir(), n.dataDir()),
              n.events(),
              n.firstTimeNanos(),
              n.lastTimeNanos(),
              n.runs(),
              n.offsetNanos(),
              n.offsetUncertaintyNanos(),
              n.reference(),
              n.expected(),
              n.delivered(),
              n.lost(),
              n.coverage(),
              n.notJournaled()));
    }
    List<ReplayReport.Skipped> skipped = new ArrayList<>();
    for (ReplayReport.Skipped s : r.skipped()) {
      skipped.add(
          new ReplayReport.Skipped(
              labels.getOrDefault(s.dataDir(), s.dataDir()), s.reason(), s.eventsRead()));
    }
    return new ReplayReport(nodes, r.messages(), r.anomalies(), r.summary(), skipped);
  }

  /** The explanation with each Kafka node's data directory shown as its source. */
  Explanation relabel(Explanation x) {
    List<Explanation.NodeStory> nodes = new ArrayList<>();
    for (Explanation.NodeStory n : x.nodes()) {
      nodes.add(
          new Explanation.NodeStory(
              n.node(),
              labels.getOrDefault(n.dataDir(), n.dataDir()),
              n.expected(),
              n.delivered(),
              n.verdict(),
              n.rejectReason(),
              n.via(),
              n.route(),
              n.forwarder(),
              n.index(),
              n.journalTimeNanos(),
              n.timeNanos(),
              n.delayNanos(),
              n.position(),
              n.deliveries(),
              n.ihave(),
              n.duplicates(),
              n.meshPeers(),
              n.lastPrune(),
              n.anomalies(),
              n.story()));
    }
    return new Explanation(
        x.messageId(),
        x.topic(),
        x.origin(),
        x.originSeqno(),
        x.lamport(),
        x.finalSeq(),
        x.canonicalPosition(),
        x.publishTimeNanos(),
        x.publishTimeSource(),
        x.firstDeliveryNanos(),
        nodes,
        x.criticalPath(),
        x.anomalies(),
        x.why());
  }

  @Override
  public void close() {
    delete(tempDir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
