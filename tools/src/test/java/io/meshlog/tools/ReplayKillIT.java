package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.node.interop.JsPeer;
import io.meshlog.node.interop.JsPeerOptions;
import io.meshlog.node.interop.JsPeers;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.LostCause;
import io.meshlog.reconciliation.replay.MessageExplain;
import io.meshlog.reconciliation.replay.ReplayAnalysis;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real meshlog nodes on 127.0.0.1: a publishes chat at 20 messages/s and a js-libp2p peer j,
 * connected to a, at 10 messages/s; b and c receive; c is killed with SIGKILL mid-stream and
 * restarted on the same data directory. Replay over the three journals (j keeps none) must report
 * as {@code lost} at c exactly the messages a direct read of the journals says c missed (first
 * delivered, at a or b, once the mesh had formed, never delivered at c), those inside c's crash gap
 * with cause {@code down}, j's among them; nothing lost at b; and {@code explain} on one of them
 * tells the story of the crash.
 */
@Timeout(300)
class ReplayKillIT {
  @TempDir Path tmp;

  @RegisterExtension final JsPeers js = new JsPeers();

  private final List<Process> processes = new ArrayList<>();
  private final ScheduledExecutorService jsPublisher = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void kill() {
    jsPublisher.shutdownNow();
    processes.forEach(Process::destroyForcibly);
  }

  private Process node(String name, String... extra) throws Exception {
    // What a killed node missed must stay missed for replay to report it lost: gap sync would
    // fetch it after the restart (GapSyncTest covers that).
    List<String> args =
        MeshlogProcess.nodeArgs(tmp.resolve(name), List.of("--set", "sync.enabled=false"));
    args.addAll(List.of(extra));
    String run = name + "-" + processes.size();
    Process p =
        MeshlogProcess.start(
            tmp.resolve(run + ".out"), tmp.resolve(run + ".err"), args.toArray(String[]::new));
    processes.add(p);
    return p;
  }

  private String listening(String run) throws Exception {
    Path out = tmp.resolve(run + ".out");
    return MeshlogProcess.listeningAddress(out, Duration.ofSeconds(90));
  }

  /** One journaled event, as much of it as this test reads. */
  private record Fact(long index, EventType type, String messageId, long timeNanos) {}

  private List<Fact> read(String name) {
    List<Fact> facts = new ArrayList<>();
    try (JournalReader r = Journals.openReader(tmp.resolve(name).resolve("journal"))) {
      Event e = new Event();
      long index;
      while ((index = r.next(e.clear())) >= 0) {
        facts.add(
            new Fact(
                index,
                e.type(),
                e.messageId() == null ? null : HexFormat.of().formatHex(e.messageId()),
                e.timeNanos()));
      }
    }
    return facts;
  }

  /**
   * For polling while a node writes: -1 when the journal cannot be read just now (the reader met
   * the record a SIGKILL cut short, before the restarted writer has recovered it).
   */
  private long count(String name, EventType type) {
    try {
      return read(name).stream().filter(f -> f.type() == type).count();
    } catch (JournalException e) {
      return -1;
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: a clean stop
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldReportTheMessagesAKilledNodeMissedAsLostAndExplainOne() throws Exception {
    Process a = node("a", "--chat-rate", "20");
    String addressA = listening("a-0");
    Process b = node("b", "--peer", addressA);
    Process c = node("c", "--peer", addressA);
    listening("b-1");
    listening("c-2");
    JsPeer j = js.start(JsPeerOptions.defaults().allowLoopback());
    j.subscribe("chat");
    j.dial(addressA);
    MeshlogProcess.until(Duration.ofSeconds(60), () -> !j.meshPeers("chat").isEmpty());
    AtomicInteger jsPublished = new AtomicInteger();
    jsPublisher.scheduleWithFixedDelay(
        () -> {
          int n = jsPublished.get();
          try {
            j.publish("chat", ("from js " + n).getBytes(StandardCharsets.UTF_8));
            jsPublished.incrementAndGet();
          } catch (RuntimeException e) {
            // not counted; a task that threw would silently never run again
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    MeshlogProcess.until(Duration.ofSeconds(60), () -> count("c", EventType.DELIVER_MESSAGE) >= 20);

    long deliveredBefore = count("c", EventType.DELIVER_MESSAGE);
    c.destroyForcibly(); // SIGKILL mid-stream
    assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long publishedAtKill = count("a", EventType.PUBLISH_MESSAGE);
    MeshlogProcess.until(
        Duration.ofSeconds(30),
        () -> count("a", EventType.PUBLISH_MESSAGE) >= publishedAtKill + 20);

    Process c2 = node("c", "--peer", addressA);
    listening("c-3");
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> count("c", EventType.DELIVER_MESSAGE) >= deliveredBefore + 20);

    // stop the publishers first (j's last message reached a before a stops), then the receivers
    // once they hold the last thing a published or forwarded
    jsPublisher.shutdown();
    assertThat(jsPublisher.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jsPublished.get()).as("j published while c was down, too").isGreaterThan(30);
    int jsCount = jsPublished.get();
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> count("a", EventType.DELIVER_MESSAGE) >= jsCount);
    stop(a);
    List<Fact> atA = read("a");
    String last =
        atA.stream()
            .filter(
                f -> f.type() == EventType.PUBLISH_MESSAGE || f.type() == EventType.DELIVER_MESSAGE)
            .reduce((x, y) -> y)
            .orElseThrow()
            .messageId();
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> delivered(List.of("b", "c"), last) && delivered(List.of("b"), lastOf("a")));
    stop(b);
    stop(c2);

    // the direct read: what c missed, and where its journal has the crash gap
    List<Fact> atC = read("c");
    List<Fact> starts = atC.stream().filter(f -> f.type() == EventType.NODE_STARTED).toList();
    assertThat(starts).hasSize(2);
    Fact restart = starts.get(1);
    Fact lastBeforeCrash =
        atC.stream().filter(f -> f.index() < restart.index()).reduce((x, y) -> y).orElseThrow();
    Set<String> deliveredAtC = ids(atC, EventType.DELIVER_MESSAGE);
    // Look from the moment both b and c had delivered once: before it their meshes were forming
    // (b and c joined the topic before they were connected, so what a published then is lost
    // there, rightly).
    long steady = Math.max(firstDelivery(atC), firstDelivery(read("b")));
    // When each message was first delivered anywhere: a's publications, and j's as a and b
    // delivered them (j keeps no journal; a and b share c's clock, this is one machine).
    Map<String, Long> publishTime = new LinkedHashMap<>();
    for (String name : List.of("a", "b")) {
      for (Fact f : read(name)) {
        if (f.type() == EventType.PUBLISH_MESSAGE || f.type() == EventType.DELIVER_MESSAGE) {
          publishTime.merge(f.messageId(), f.timeNanos(), Math::min);
        }
      }
    }
    Set<String> fromJs = ids(read("a"), EventType.DELIVER_MESSAGE);
    assertThat(fromJs).as("a delivered every message j published").hasSize(jsCount);
    Set<String> missed =
        publishTime.entrySet().stream()
            .filter(p -> p.getValue() >= steady && !deliveredAtC.contains(p.getKey()))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> inGap =
        missed.stream()
            .filter(
                id ->
                    publishTime.get(id) > lastBeforeCrash.timeNanos()
                        && publishTime.get(id) < restart.timeNanos())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(inGap).as("a and j published while c was down").hasSizeGreaterThanOrEqualTo(15);
    assertThat(inGap.stream().filter(fromJs::contains))
        .as("j's messages among those c missed while down")
        .isNotEmpty();

    List<Path> dirs = List.of(tmp.resolve("a"), tmp.resolve("b"), tmp.resolve("c"));
    ReplayOptions window = ReplayOptions.defaults().withWindow(steady, Long.MAX_VALUE);
    ReplayReport report = ReplayAnalysis.analyze(dirs, window);
    String nodeC = nodeOf(report, "c");
    List<Anomaly> lost =
        report.anomalies().stream().filter(x -> x.type() == AnomalyType.LOST).toList();
    assertThat(lost).extracting(Anomaly::node).containsOnly(nodeC);
    Set<String> reportedLost =
        lost.stream().map(Anomaly::messageId).collect(Collectors.toCollection(TreeSet::new));
    assertThat(reportedLost).isEqualTo(missed);
    ReplayReport.NodeSummary summaryC =
        report.nodes().stream().filter(n -> n.node().equals(nodeC)).findFirst().orElseThrow();
    assertThat(summaryC.lost()).isEqualTo(missed.size());
    assertThat(summaryC.runs()).isEqualTo(2);
    for (Anomaly x : lost) {
      if (inGap.contains(x.messageId())) {
        assertThat(x.cause()).as(x.messageId()).isEqualTo(LostCause.DOWN);
      }
    }
    // a re-delivery after the restart (its seen-cache went with the process) is reported, not
    // an error: every duplicate-delivery at c is a message c delivered before the crash
    Set<String> beforeCrash =
        ids(
            atC.stream().filter(f -> f.index() < restart.index()).toList(),
            EventType.DELIVER_MESSAGE);
    for (Anomaly x : report.anomalies()) {
      if (x.type() == AnomalyType.DUPLICATE_DELIVERY) {
        assertThat(x.node()).isEqualTo(nodeC);
        assertThat(beforeCrash).contains(x.messageId());
      }
    }

    String story = inGap.iterator().next();
    Explanation explained = MessageExplain.explain(dirs, story, ReplayOptions.defaults());
    Explanation.NodeStory atNodeC =
        explained.nodes().stream().filter(s -> s.node().equals(nodeC)).findFirst().orElseThrow();
    assertThat(atNodeC.story()).contains("never delivered it: lost, down").contains("it crashed");
    assertThat(explained.why()).isEqualTo(atNodeC.story());
    assertThat(explained.criticalPath()).isNotEmpty();
  }

  private boolean delivered(List<String> names, String messageId) {
    try {
      for (String name : names) {
        if (!ids(read(name), EventType.DELIVER_MESSAGE).contains(messageId)) {
          return false;
        }
      }
      return true;
    } catch (JournalException e) {
      return false; // see count()
    }
  }

  /** The last message a published. */
  private String lastOf(String name) {
    return read(name).stream()
        .filter(f -> f.type() == EventType.PUBLISH_MESSAGE)
        .reduce((x, y) -> y)
        .orElseThrow()
        .messageId();
  }

  private static Set<String> ids(List<Fact> facts, EventType type) {
    return facts.stream()
        .filter(f -> f.type() == type && f.messageId() != null)
        .map(Fact::messageId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private String nodeOf(ReplayReport report, String name) {
    String dir = tmp.resolve(name).toString();
    return report.nodes().stream()
        .filter(n -> n.dataDir().equals(dir))
        .map(ReplayReport.NodeSummary::node)
        .findFirst()
        .orElseThrow();
  }

  private static long firstDelivery(List<Fact> journal) {
    return journal.stream()
        .filter(f -> f.type() == EventType.DELIVER_MESSAGE)
        .findFirst()
        .orElseThrow()
        .timeNanos();
  }
}
