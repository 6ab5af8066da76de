package io.meshlog.bench.eventlog;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventView;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.journal.ChronicleReadCeiling;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The journal read phase: every event read and every field folded into a checksum, three ways on
 * the same journal in one run.
 *
 * <pre>
 *   raw Chronicle read       excerpt length and first 8 bytes only: the ceiling
 *   read into Event objects  JournalReader.next(Event), fields copied out (the reference)
 *   read in place (view)     JournalReader.next(EventView), fields hashed where they lie
 * </pre>
 *
 * <p>The Event pass and the view passes must give the same checksum and the same counts; the view
 * passes also check the node sequence and each producer's order, so a fast wrong reader fails.
 */
public final class ReadBench {
  private ReadBench() {}

  /** One timed pass: events, elapsed ns, the thread's CPU ns, and the checksum. */
  record Pass(long events, long nanos, long cpuNanos, long checksum) {
    double rate() {
      return events * 1e9 / nanos;
    }

    double cpuRate() {
      return events * 1e9 / Math.max(1, cpuNanos);
    }
  }

  static Pass raw(Path dir) {
    long cpu = cpu();
    ChronicleReadCeiling.Pass p = ChronicleReadCeiling.read(dir);
    return new Pass(p.records(), p.nanos(), cpu() - cpu, p.checksum());
  }

  /** Reads into a reused {@link Event}, folding every field. */
  static Pass events(Path dir) {
    try (JournalReader reader = Journals.openReader(dir)) {
      Event e = new Event();
      long n = 0;
      long sum = 0;
      long cpu = cpu();
      long start = System.nanoTime();
      while (reader.next(e) >= 0) {
        sum = sum * 31 + fold(e);
        n++;
      }
      return new Pass(n, System.nanoTime() - start, cpu() - cpu, sum);
    }
  }

  /**
   * Reads in place, folding every field, and checks that the node sequence runs 0, 1, 2... and that
   * each producer's numbers ({@code value} = producer, {@code originSeqno} = its count) come in
   * order.
   */
  static Pass view(Path dir, int producers) {
    try (JournalReader reader = Journals.openReader(dir)) {
      EventView v = new EventView();
      long[] next = new long[producers];
      long n = 0;
      long sum = 0;
      long cpu = cpu();
      long start = System.nanoTime();
      while (reader.next(v) >= 0) {
        if (v.sequence() != n) {
          throw new IllegalStateException("read event " + n + " has sequence " + v.sequence());
        }
        int producer = (int) v.value();
        if (producer < 0 || producer >= producers || v.originSeqno() != next[producer]++) {
          throw new IllegalStateException("read producer " + producer + " out of order at " + n);
        }
        sum = sum * 31 + fold(v);
        n++;
      }
      return new Pass(n, System.nanoTime() - start, cpu() - cpu, sum);
    }
  }

  /** Every field of {@code v}, folded into one number. */
  public static long fold(EventView v) {
    long h = v.type().code() * 7L + v.schemaVersion();
    h = h * 31 + v.timeNanos();
    h = h * 31 + v.sequence();
    h = h * 31 + v.hash(v.peerOffset(), v.peerLength());
    h = h * 31 + v.hash(v.topicOffset(), v.topicLength());
    h = h * 31 + v.hash(v.messageIdOffset(), v.messageIdLength());
    h = h * 31 + v.hash(v.originOffset(), v.originLength());
    h = h * 31 + v.originSeqno();
    h = h * 31 + v.lamport();
    h = h * 31 + v.size();
    h = h * 31 + v.direction().code();
    h = h * 31 + v.value();
    h = h * 31 + v.hash(v.textOffset(), v.textLength());
    h = h * 31 + v.hash(v.dataOffset(), v.dataLength());
    h = h * 31 + v.via().code();
    if (v.hasRpcCounts()) {
      for (RpcPart part : RpcPart.values()) {
        h = h * 31 + v.rpcCount(part);
      }
    }
    for (int i = 0; i < v.rpcIdCount(); i++) {
      h = h * 31 + v.hash(v.rpcIdOffset(i), v.rpcIdLength(i));
    }
    return h;
  }

  static long fold(Event e) {
    long h = e.type().code() * 7L + e.schemaVersion();
    h = h * 31 + e.timeNanos();
    h = h * 31 + e.sequence();
    h = h * 31 + hash(e.peer());
    h = h * 31 + hash(e.topic() == null ? null : e.topic().getBytes(StandardCharsets.UTF_8));
    h = h * 31 + hash(e.messageId());
    h = h * 31 + hash(e.origin());
    h = h * 31 + e.originSeqno();
    h = h * 31 + e.lamport();
    h = h * 31 + e.size();
    h = h * 31 + e.direction().code();
    h = h * 31 + e.value();
    h = h * 31 + hash(e.text() == null ? null : e.text().getBytes(StandardCharsets.UTF_8));
    h = h * 31 + hash(e.data());
    h = h * 31 + e.via().code();
    if (e.hasRpcCounts()) {
      for (RpcPart part : RpcPart.values()) {
        h = h * 31 + e.rpcCount(part);
      }
    }
    for (int i = 0; i < e.rpcIdCount(); i++) {
      h = h * 31 + hash(e.rpcId(i));
    }
    return h;
  }

  private static long hash(byte[] b) {
    return b == null ? 0 : EventView.hash(b, 0, b.length);
  }

  /** The median of the passes' rates; the passes sorted by rate in {@code sorted}. */
  static Pass[] sortedByRate(Pass[] passes) {
    Pass[] sorted = passes.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(a.rate(), b.rate()));
    return sorted;
  }

  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
