package io.meshlog.bench.discovery;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.EventLog;
import io.meshlog.eventlog.projection.ProjectionConfig;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.discovery.DiscoveryConfig;
import io.meshlog.node.discovery.PeerRegistry;
import io.meshlog.node.discovery.PeerRegistryRows;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The peer registry's size on disk: {@code peers} peers, each with two identify addresses and some
 * dial history (1..3 connections, 0..3 failed dials), journaled through a real journal, folded, and
 * stored in a projection store of their own (real RocksDB) so that the store holds nothing else.
 * Sizes are measured after close and again after a reopen, which flushes RocksDB's write-ahead log
 * into a table file. The run checks itself: the registry loaded back must equal the one folded,
 * entry for entry.
 */
public final class RegistrySizeBenchmark {

  /**
   * @param peers entries stored
   * @param events journal records folded
   * @param encodedBytes keys and values of the rows, as written
   * @param storeBytes the registry's store directory after close (write-ahead log, manifest)
   * @param flushedBytes the same after a reopen flushed it (table files)
   * @param tableBytes the table files ({@code *.sst}) alone after that flush
   * @param emptyStoreBytes an empty projection store's directory, for reference
   * @param loadMillis loading the stored registry back (what a node start costs before it folds the
   *     records after the checkpoint)
   * @param identical whether the loaded registry equals the folded one, entry for entry
   */
  public record Result(
      int peers,
      long events,
      long encodedBytes,
      long storeBytes,
      long flushedBytes,
      long tableBytes,
      long emptyStoreBytes,
      double loadMillis,
      boolean identical) {}

  private RegistrySizeBenchmark() {}

  /** Runs in {@code dir} (made if missing; its contents are the run's). */
  public static Result run(Path dir, int peers) {
    DiscoveryConfig defaults = DiscoveryConfig.defaults();
    int maxPeers = Math.max(peers, defaults.registryMaxPeers());
    long maxAge = defaults.registryMaxAge().toNanos();
    long t0 = 1_700_000_000_000_000_000L;
    long events = 0;
    PeerRegistry folded;
    try (EventLog log = EventLog.open(dir.resolve("node"), Map.of())) {
      for (int i = 0; i < peers; i++) {
        events += journal(log, Identity.generate().peerId(), i, t0 + i * 60_000_000_000L);
      }
      while (log.appendedIndex() < 0 || countRecords(log) < events) {
        LockSupport.parkNanos(10_000_000L);
      }
      try (JournalReader r = log.journal().reader()) {
        folded = new PeerRegistry(null, maxPeers, maxAge).catchUp(r);
      }
    }
    long encoded = 0;
    for (PeerRegistry.Entry e : folded.entries(t0)) {
      encoded += 1 + e.peer().bytes().length + PeerRegistryRows.encode(e).length;
    }
    Path store = dir.resolve("registry");
    Path empty = dir.resolve("empty");
    Projections.open(empty, ProjectionConfig.defaults()).close();
    try (Projections p = Projections.open(store, ProjectionConfig.defaults())) {
      new PeerRegistryRows(p.peerRegistry()).save(folded);
    }
    long storeBytes = size(store, "");
    Projections.open(store, ProjectionConfig.defaults()).close(); // recovery flushes the log
    long flushed = size(store, "");
    long tables = size(store, ".sst");
    long start = System.nanoTime();
    PeerRegistry loaded;
    try (Projections p = Projections.openReadOnly(store)) {
      loaded = new PeerRegistryRows(p.peerRegistry()).load(null, maxPeers, maxAge);
    }
    double loadMillis = (System.nanoTime() - start) / 1e6;
    return new Result(
        folded.size(),
        events,
        encoded,
        storeBytes,
        flushed,
        tables,
        size(empty, ""),
        loadMillis,
        folded.size() == peers && same(folded, loaded, t0));
  }

  private static int journal(EventLog log, PeerId p, int i, long at) {
    String addresses =
        "identify /ip4/10."
            + (i >> 8 & 0xFF)
            + "."
            + (i & 0xFF)
            + ".1/tcp/4001 /ip4/192.168."
            + (i >> 8 & 0xFF)
            + "."
            + (i & 0xFF)
            + "/tcp/4001";
    int n = 0;
    publish(log, EventType.PEER_ADDRESS_LEARNED, at, p, addresses);
    n++;
    for (int c = 0; c <= i % 3; c++) {
      publish(log, EventType.CONNECTION_OPENED, at + 2 * c + 1, p, null);
      publish(log, EventType.CONNECTION_CLOSED, at + 2 * c + 2, p, "eof");
      n += 2;
    }
    for (int f = 0; f < i % 4; f++) {
      publish(log, EventType.DIAL_FAILED, at + 10 + f, p, "connection refused");
      n++;
    }
    return n;
  }

  private static void publish(EventLog log, EventType type, long at, PeerId p, String text) {
    log.sink().publish(new Event().type(type).timeNanos(at).peer(p.bytes()).text(text));
  }

  private static long countRecords(EventLog log) {
    long n = 0;
    try (JournalReader r = log.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        n++;
      }
    }
    return n;
  }

  private static boolean same(PeerRegistry a, PeerRegistry b, long now) {
    List<PeerRegistry.Entry> x = a.entries(now);
    List<PeerRegistry.Entry> y = b.entries(now);
    if (x.size() != y.size() || a.lastIndex() != b.lastIndex()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (!x.get(i).peer().equals(y.get(i).peer())
          || !Arrays.equals(PeerRegistryRows.encode(x.get(i)), PeerRegistryRows.encode(y.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static long size(Path dir, String suffix) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(suffix))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
