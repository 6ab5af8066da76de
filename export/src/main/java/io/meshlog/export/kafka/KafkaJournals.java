package io.meshlog.export.kafka;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.JournalCopy;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.export.ExportException;
import io.meshlog.export.ExportRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic the shipper wrote back into one journal per node, for replay: every partition up to
 * the end offset it had when reading started, in parallel (one consumer per partition, no consumer
 * group). Each node's records are laid down in {@code <into>/<peer id>/journal} at the journal
 * indexes they had, as the same bytes, so the replay analysis reads exactly what it reads from the
 * node's own data directory. A record whose (node, index) was already written (sent twice after a
 * shipper crash) is dropped and counted.
 *
 * <p>Thread-safe; one call is independent of another.
 */
public final class KafkaJournals {
  private KafkaJournals() {}

  /**
   * What was read.
   *
   * @param dataDirs node name (base58) to the data directory laid down for it, in name order
   * @param records records read from the topic
   * @param duplicates records dropped as already written
   * @param reindexed records whose own index could not be kept (the topic no longer holds those
   *     before them) and were written at the next index
   */
  public record Result(Map<String, Path> dataDirs, long records, long duplicates, long reindexed) {}

  /**
   * Reads {@code topic} into {@code into}.
   *
   * @throws ExportException when the topic does not exist, the brokers cannot be reached, or a
   *     record is not one the shipper wrote (naming partition and offset)
   */
  public static Result read(
      String bootstrap, String topic, Map<String, String> clientProperties, Path into) {
    List<TopicPartition> partitions;
    Map<TopicPartition, Long> ends;
    Map<TopicPartition, Long> starts;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(KafkaClients.consumer(bootstrap, "meshlog-replay", clientProperties))) {
      List<PartitionInfo> info = c.partitionsFor(topic, Duration.ofSeconds(30));
      if (info == null || info.isEmpty()) {
        throw new ExportException("Kafka " + bootstrap + " has no topic " + topic, null);
      }
      partitions = new ArrayList<>();
      for (PartitionInfo p : info) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      ends = c.endOffsets(partitions, Duration.ofSeconds(30));
      starts = c.beginningOffsets(partitions, Duration.ofSeconds(30));
    } catch (KafkaException e) {
      throw new ExportException(
          "cannot read topic " + topic + " from Kafka " + bootstrap + ": " + e, e);
    }
    Map<String, NodeJournal> nodes = new ConcurrentHashMap<>();
    int threads = Math.max(1, Math.min(partitions.size(), 8));
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, r -> new Thread(r, "meshlog-replay-kafka-" + n.incrementAndGet()));
    long[] totals = new long[3];
    try {
      List<Future<long[]>> done = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        long start = starts.getOrDefault(tp, 0L);
        long end = ends.getOrDefault(tp, 0L);
        if (end > start) {
          done.add(
              pool.submit(
                  () -> readPartition(bootstrap, clientProperties, tp, start, end, nodes, into)));
        }
      }
      for (Future<long[]> f : done) {
        long[] t = f.get();
        for (int i = 0; i < 3; i++) {
          totals[i] += t[i];
        }
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ExportException x) {
        throw x;
      }
      throw new ExportException("reading topic " + topic + " failed: " + c, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExportException("interrupted while reading topic " + topic, e);
    } finally {
      pool.shutdownNow();
      for (NodeJournal j : nodes.values()) {
        j.close();
      }
    }
    Map<String, Path> dirs = new TreeMap<>();
    nodes.forEach((name, j) -> dirs.put(name, j.dataDir));
    return new Result(dirs, totals[0], totals[1], totals[2]);
  }

  private static long[] readPartition(
      String bootstrap,
      Map<String, String> props,
      TopicPartition tp,
      long start,
      long end,
      Map<String, NodeJournal> nodes,
      Path into) {
    long records = 0;
    long duplicates = 0;
    long reindexed = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            KafkaClients.consumer(bootstrap, "meshlog-replay-" + tp.partition(), props))) {
      c.assign(List.of(tp));
      c.seek(tp, start);
      while (c.position(tp) < end) {
        ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofSeconds(1));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          if (r.offset() >= end) {
            break;
          }
          ExportRecord.Shipped s;
          try {
            s = ExportRecord.read(r.value());
          } catch (IllegalArgumentException e) {
            throw new ExportException(
                "topic "
                    + tp.topic()
                    + " partition "
                    + tp.partition()
                    + " offset "
                    + r.offset()
                    + ": not a meshlog record: "
                    + e.getMessage(),
                e);
          }
          records++;
          String name = Base58.encode(s.node());
          NodeJournal j = nodes.computeIfAbsent(name, k -> new NodeJournal(into.resolve(k), s));
          switch (j.append(s)) {
            case DUPLICATE -> duplicates++;
            case REINDEXED -> reindexed++;
            default -> {}
          }
        }
      }
    }
    return new long[] {records, duplicates, reindexed};
  }

  private enum Outcome {
    WRITTEN,
    DUPLICATE,
    REINDEXED
  }

  /** One node's journal being laid down; its records may come from more than one partition. */
  private static final class NodeJournal {
    final Path dataDir;
    private final JournalConfig.RollCycle rollCycle;
    private final JournalCopy.Target target;
    private long last = -1;

    NodeJournal(Path dataDir, ExportRecord.Shipped first) {
      this.dataDir = dataDir;
      this.rollCycle = first.rollCycle();
      this.target = Journals.openCopyTarget(EventLog.journalDir(dataDir), rollCycle);
    }

    synchronized Outcome append(ExportRecord.Shipped s) {
      if (s.index() <= last) {
        return Outcome.DUPLICATE;
      }
      byte[] r = s.record();
      if (s.rollCycle() == rollCycle && target.append(s.index(), r, 0, r.length)) {
        last = s.index();
        return Outcome.WRITTEN;
      }
      target.appendNext(r, 0, r.length);
      last = s.index();
      return Outcome.REINDEXED;
    }

    synchronized void close() {
      target.close();
    }
  }
}
