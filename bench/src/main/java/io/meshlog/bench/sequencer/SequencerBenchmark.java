package io.meshlog.bench.sequencer;

import io.meshlog.bench.LoopbackNode;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.NodeCounter;
import io.meshlog.node.TopicOrderStats;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sequencing throughput: a real directory (the sequencer, its journal on disk) and {@code nodes}
 * real nodes on 127.0.0.1 that know only the directory. Finalized means every node holds every
 * message final: each confirmation was journaled by the directory, received, verified, journaled by
 * every node and applied to its order. Two modes:
 *
 * <ul>
 *   <li><b>backlog</b> (the sequencer on its own): the directory stops, the nodes publish {@code
 *       messages} between them, which stay provisional; the directory restarts on the same address
 *       and data directory, the nodes submit what is unconfirmed (500 per submission). The rate is
 *       messages / seconds from the first submission to all final; the time from the restart to all
 *       final is the convergence after an outage with that many messages pending.
 *   <li><b>live</b>: with the directory up, the nodes publish as fast as their routers take
 *       messages ({@code window} in flight per node); the rate is messages / seconds from the first
 *       publish to all final, and is bounded by what the mesh delivers on this machine.
 * </ul>
 *
 * <p>A round checks its own result (a fast wrong run fails): the directory's journal gives each
 * published message exactly one seq, no seq twice, seqs 0..n-1 of one epoch; every node's order
 * holds exactly those positions.
 */
public final class SequencerBenchmark {

  private static final String TOPIC = "bench-seq";

  /** What a round measures; see the class comment. */
  public enum Mode {
    backlog,
    live
  }

  /**
   * @param messages messages published in the round, over all nodes
   * @param nodes publishing nodes
   * @param window publishes in flight per node
   * @param holdBack {@code reconciliation.holdBack} of the directory (e.g. "100ms")
   */
  public record Settings(Mode mode, int messages, int nodes, int window, String holdBack) {}

  /**
   * One round's figures.
   *
   * @param finalizedPerSecond messages / seconds from the first publish (live) or submission
   *     (backlog) to every node holding all final
   * @param publishedPerSecond messages / seconds from the first publish to the last one accepted
   * @param directoryFinalSeconds seconds from the start of the count to the directory having
   *     finalized every message (its SEQUENCE_ASSIGNED handed to its journal)
   * @param allFinalSeconds seconds from the start of the count to all final at every node
   * @param convergedSeconds backlog: seconds from the directory's restart to all final at every
   *     node; live: as allFinalSeconds
   */
  public record Figures(
      Mode mode,
      int messages,
      double finalizedPerSecond,
      double publishedPerSecond,
      double directoryFinalSeconds,
      double allFinalSeconds,
      double convergedSeconds) {
    @Override
    public String toString() {
      return String.format(
          "sequencer %s: %d messages, %.0f finalized/s (published at %.0f/s; all final at the"
              + " directory after %.2f s, at every node after %.2f s%s)",
          mode,
          messages,
          finalizedPerSecond,
          publishedPerSecond,
          directoryFinalSeconds,
          allFinalSeconds,
          mode == Mode.backlog
              ? String.format("; %.2f s from the directory's restart", convergedSeconds)
              : "");
    }
  }

  private SequencerBenchmark() {}

  /** One round in {@code work} (fresh data directories). */
  public static Figures run(Settings s, Path work) throws Exception {
    List<MeshlogNode> open = new ArrayList<>();
    MeshlogNode[] directory = new MeshlogNode[1];
    try {
      Map<String, String> d = LoopbackNode.settings(work.resolve("directory"));
      d.put("node.role", "directory");
      d.put("reconciliation.holdBack", s.holdBack());
      directory[0] = MeshlogNode.start(NodeConfig.fromProperties(d));
      String address = directory[0].listenAddresses().get(0).toString();
      List<MeshlogNode> nodes = new ArrayList<>();
      for (int i = 0; i < s.nodes(); i++) {
        Map<String, String> p = LoopbackNode.settings(work.resolve("n" + i));
        p.put("node.topics", TOPIC);
        p.put("node.directories", address);
        p.put("node.dial.backoffMin", "50ms");
        p.put("node.dial.backoffMax", "200ms");
        MeshlogNode n = MeshlogNode.start(NodeConfig.fromProperties(p));
        open.add(n);
        nodes.add(n);
      }
      awaitReady(directory[0], nodes);
      int total = s.messages() / s.nodes() * s.nodes();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      if (s.mode() == Mode.backlog) {
        directory[0].close();
        directory[0] = null;
      }
      Set<MessageKey> published = ConcurrentHashMap.newKeySet();
      long t0 = System.nanoTime();
      publishAll(s, nodes, total, published);
      long tPublished = System.nanoTime();
      long tRestart = t0;
      long tCount = t0;
      if (s.mode() == Mode.backlog) {
        for (MeshlogNode n : nodes) {
          awaitProvisional(n, total, deadline);
        }
        long[] submittedBefore = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
          submittedBefore[i] = nodes.get(i).counter(NodeCounter.MESSAGES_SUBMITTED);
        }
        d.put("node.listen", address.substring(0, address.indexOf("/p2p/")));
        tRestart = System.nanoTime();
        directory[0] = MeshlogNode.start(NodeConfig.fromProperties(d));
        tCount = awaitSubmission(nodes, submittedBefore, deadline);
      }
      long tDirectory = awaitFinalized(directory[0], total, deadline);
      long tAll = tDirectory;
      for (MeshlogNode n : nodes) {
        tAll = Math.max(tAll, awaitAllFinal(n, total, deadline));
      }
      check(directory[0], nodes, published);
      return new Figures(
          s.mode(),
          total,
          total * 1e9 / (tAll - tCount),
          total * 1e9 / (tPublished - t0),
          (tDirectory - tCount) / 1e9,
          (tAll - tCount) / 1e9,
          (tAll - tRestart) / 1e9);
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
      if (directory[0] != null) {
        directory[0].close();
      }
    }
  }

  /** Every node publishes its share, {@code window} in flight each; every publish must succeed. */
  private static void publishAll(
      Settings s, List<MeshlogNode> nodes, int total, Set<MessageKey> published) throws Exception {
    AtomicLong failed = new AtomicLong();
    ExecutorService publishers = Executors.newFixedThreadPool(nodes.size());
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        MeshlogNode n = nodes.get(i);
        int node = i;
        done.add(
            CompletableFuture.runAsync(
                () -> publish(n, node, total / nodes.size(), s.window(), published, failed),
                publishers));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    } finally {
      publishers.shutdownNow();
    }
    if (failed.get() > 0 || published.size() != total) {
      throw new IllegalStateException(
          failed.get() + " publishes failed; " + published.size() + " of " + total + " sent");
    }
  }

  /** Waits until {@code n} holds all {@code total} messages, provisional. */
  private static void awaitProvisional(MeshlogNode n, int total, long deadline) throws Exception {
    while (true) {
      Optional<TopicOrderStats> st = n.orderStats(TOPIC);
      if (st.isPresent() && st.get().unconfirmed() == total) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            n.peerId() + " holds " + st.map(Object::toString).orElse("nothing") + " of " + total);
      }
      Thread.sleep(20); // set-up, not part of what is measured
    }
  }

  /** The time the first node submitted after the directory's restart. */
  private static long awaitSubmission(List<MeshlogNode> nodes, long[] before, long deadline)
      throws Exception {
    while (true) {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).counter(NodeCounter.MESSAGES_SUBMITTED) > before[i]) {
          return System.nanoTime();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no node submitted to the restarted directory");
      }
      Thread.sleep(1); // well below what it measures (seconds)
    }
  }

  private static void publish(
      MeshlogNode n, int node, int count, int window, Set<MessageKey> ids, AtomicLong failed) {
    Semaphore inFlight = new Semaphore(window);
    List<CompletableFuture<byte[]>> sent = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      inFlight.acquireUninterruptibly();
      byte[] payload = ("n" + node + " m" + k).getBytes(StandardCharsets.UTF_8);
      sent.add(
          n.publish(TOPIC, payload)
              .whenComplete(
                  (id, e) -> {
                    if (e != null) {
                      failed.incrementAndGet();
                    } else {
                      ids.add(MessageKey.of(id));
                    }
                    inFlight.release();
                  }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
  }

  /**
   * Every node reaches the sequencer and has a mesh peer, and the directory follows the topic (it
   * subscribes once it holds the topic's registrations): otherwise the first messages would not be
   * sequenced until resubmitted.
   */
  private static void awaitReady(MeshlogNode directory, List<MeshlogNode> nodes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      boolean ready = true;
      for (MeshlogNode n : nodes) {
        if (!n.sequencerReachable()
            || !n.gossipsub()
                .topicPeers(TOPIC)
                .get(5, TimeUnit.SECONDS)
                .contains(directory.peerId())
            || n.gossipsub().meshPeers(TOPIC).get(5, TimeUnit.SECONDS).size()
                < Math.min(nodes.size(), n.config().gossipsub().dLo())) {
          ready = false;
          break;
        }
      }
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("mesh with the sequencer not formed within 2 minutes");
      }
      Thread.sleep(20); // polling interval of the set-up, not part of what is measured
    }
  }

  /**
   * Waits until the directory has finalized {@code total} messages (handed their SEQUENCE_ASSIGNED
   * to its journal). Its own order is no measure: a submitted message it never received by gossip
   * has no row there until sync fetches it.
   */
  private static long awaitFinalized(MeshlogNode directory, int total, long deadline)
      throws Exception {
    while (directory.counter(NodeCounter.MESSAGES_FINALIZED) < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the directory finalized "
                + directory.counter(NodeCounter.MESSAGES_FINALIZED)
                + " of "
                + total);
      }
      Thread.sleep(2); // well below what it measures (seconds)
    }
    return System.nanoTime();
  }

  /** Waits until {@code n} holds {@code total} final rows of the topic and none provisional. */
  private static long awaitAllFinal(MeshlogNode n, int total, long deadline) throws Exception {
    while (true) {
      Optional<TopicOrderStats> st = n.orderStats(TOPIC);
      if (st.isPresent()
          && st.get().unconfirmed() == 0
          && st.get().lastFinalSeq() == total - 1
          && n.order(TOPIC).size() == total) { // no final position awaiting its message
        return System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            n.peerId() + " holds " + st.map(Object::toString).orElse("nothing") + " of " + total);
      }
      Thread.sleep(2); // well below what it measures (seconds)
    }
  }

  /**
   * The directory's journal: each published message has exactly one SEQUENCE_ASSIGNED of its own,
   * seqs 0..n-1 once each, one epoch; every node's order has exactly those positions.
   */
  private static void check(MeshlogNode directory, List<MeshlogNode> nodes, Set<MessageKey> ids) {
    Map<MessageKey, Long> seqOf = new HashMap<>();
    Set<Long> seqs = new HashSet<>();
    Set<Long> epochs = new HashSet<>();
    try (JournalReader r = directory.journal().reader()) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() != EventType.SEQUENCE_ASSIGNED
            || e.peer() != null
            || !TOPIC.equals(e.topic())) {
          continue;
        }
        MessageKey id = MessageKey.of(e.messageId());
        if (seqOf.put(id, e.finalSeq()) != null) {
          throw new IllegalStateException("message " + id.hex() + " was given two seqs");
        }
        if (!seqs.add(e.finalSeq())) {
          throw new IllegalStateException("seq " + e.finalSeq() + " was given twice");
        }
        epochs.add(e.epoch());
      }
    }
    if (!seqOf.keySet().equals(ids)) {
      throw new IllegalStateException(
          "the directory sequenced " + seqOf.size() + " messages, " + ids.size() + " published");
    }
    for (long q = 0; q < ids.size(); q++) {
      if (!seqs.contains(q)) {
        throw new IllegalStateException("seq " + q + " missing");
      }
    }
    if (epochs.size() != 1) {
      throw new IllegalStateException("assignments of epochs " + epochs + ", one expected");
    }
    for (MeshlogNode n : nodes) {
      List<OrderRow> rows = n.order(TOPIC);
      if (rows.size() != ids.size()) {
        throw new IllegalStateException(n.peerId() + " holds " + rows.size() + " rows");
      }
      for (OrderRow row : rows) {
        Long want = seqOf.get(row.message().id());
        if (!row.isFinal() || want == null || row.position().seq() != want) {
          throw new IllegalStateException(
              n.peerId() + " holds " + row + ", the directory gave seq " + want);
        }
      }
    }
  }
}
