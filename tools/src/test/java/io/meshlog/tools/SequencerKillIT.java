package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.projection.ProjectionException;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.tools.report.TopicOrderReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real meshlog processes on 127.0.0.1: a directory (the sequencer) and nodes that chat on one
 * topic. The directory is killed with SIGKILL while the nodes go on publishing, and restarted on
 * the same address and data directory. Every message published until the restart ends up final at
 * every node that holds it (read with {@code meshlog order}'s library from the running nodes'
 * directories), a seq names the same message at every node, the new epoch is above the old one, and
 * the directory's journal never gave a seq or a message twice. While it is down, its registrations
 * can be read from its journal and gossip between the nodes goes on; once back, every node
 * registers again at once.
 */
@Timeout(600)
class SequencerKillIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp; // a failed run leaves the nodes' output

  private final List<Process> processes = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void kill() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldConvergeOnOneFinalOrderAfterTheDirectoryIsKilledAndRestarted() throws Exception {
    run(3, Duration.ofSeconds(3), 5);
  }

  @Test
  @Tag("slow")
  void shouldConvergeAfterAThirtySecondOutageOfTheDirectoryWithFiveNodes() throws Exception {
    run(5, Duration.ofSeconds(30), 5);
  }

  @Test
  @Tag("slow")
  void shouldConvergeWithTenThousandMessagesPendingAfterAThirtySecondOutage() throws Exception {
    // 2 nodes at 170 messages/s each through 30 s: over 10,000 messages provisional at each node
    // when the directory is back (five such nodes are more than two cores keep up with)
    run(2, Duration.ofSeconds(30), 170);
  }

  private void run(int count, Duration outage, int rate) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    directory(port);
    String address = listening("directory-0");
    List<String> nodes = new ArrayList<>();
    Set<String> peerIds = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String name = "n" + i;
      node(name, address, rate);
      nodes.add(name);
    }
    for (int i = 0; i < count; i++) {
      String listening = listening("n" + i + "-" + (i + 1));
      peerIds.add(listening.substring(listening.lastIndexOf("/p2p/") + 5));
    }
    for (String n : nodes) {
      MeshlogProcess.until(Duration.ofSeconds(120), () -> finalRows(n).size() >= 10);
    }
    MeshlogProcess.until(
        Duration.ofSeconds(60), () -> registered(tmp.resolve("directory")).containsAll(peerIds));

    Process dir = processes.get(0);
    dir.destroyForcibly(); // SIGKILL, mid-stream
    assertThat(dir.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.nanoTime();
    assertThat(registered(tmp.resolve("directory")))
        .as("the killed directory's registrations, read from its journal")
        .containsAll(peerIds);
    java.util.Map<String, Set<String>> sentBefore = new java.util.HashMap<>();
    for (String n : nodes) {
      Set<String> sent = new HashSet<>();
      MeshlogProcess.until(Duration.ofSeconds(30), () -> published(n, sent));
      sentBefore.put(n, sent);
    }
    // Gossip does not go through the directory: what each node publishes now reaches every other.
    for (String n : nodes) {
      for (String m : nodes) {
        if (!m.equals(n)) {
          MeshlogProcess.until(
              Duration.ofSeconds(60),
              () -> {
                Set<String> sent = new HashSet<>();
                if (!published(m, sent)) {
                  return false;
                }
                sent.removeAll(sentBefore.get(m));
                Set<String> got = delivered(n);
                return got != null && sent.stream().anyMatch(got::contains);
              });
        }
      }
    }
    for (String n : nodes) {
      MeshlogProcess.until(Duration.ofSeconds(60), () -> provisional(n) >= 5);
    }
    long left = outage.toNanos() - (System.nanoTime() - killedAt);
    if (left > 0) {
      // The outage itself is the thing under test: the nodes publish through it.
      MeshlogProcess.until(
          Duration.ofNanos(left).plusSeconds(30),
          () -> System.nanoTime() - killedAt >= outage.toNanos());
    }

    // the fewest provisional rows a node holds as the directory comes back
    long pending = Long.MAX_VALUE;
    for (String n : nodes) {
      long[] rows = {-1};
      MeshlogProcess.until(
          Duration.ofSeconds(30),
          () -> {
            rows[0] = order(n).size() == 0 ? -1 : provisional(n);
            return rows[0] >= 0;
          });
      pending = Math.min(pending, rows[0]);
    }
    directory(port);
    // a JVM starting beside busy nodes: give it longer than the first start
    MeshlogProcess.listeningAddress(
        tmp.resolve("directory-" + (processes.size() - 1) + ".out"), Duration.ofSeconds(240));
    long restartedAt = System.nanoTime();
    // the nodes register again as soon as they reach it, not at their next refresh (an hour)
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> registeredSinceStart(tmp.resolve("directory"), 2).containsAll(peerIds));
    double reRegistered = (System.nanoTime() - restartedAt) / 1e9;
    Set<String> published = new HashSet<>();
    for (String n : nodes) {
      MeshlogProcess.until(Duration.ofSeconds(30), () -> published(n, published));
    }
    // Every message published until the restart is final at every node: what a node never
    // received by gossip (published before its mesh formed, or lost in the outage) it fetched by
    // sync.
    for (String n : nodes) {
      MeshlogProcess.until(
          Duration.ofSeconds(300),
          () -> {
            Set<String> finals = new HashSet<>(ids(finalRows(n)));
            return finals.containsAll(published);
          });
    }
    double convergence = (System.nanoTime() - restartedAt) / 1e9;
    System.out.printf(
        "sequencer convergence: %d messages published before the restart, at least %d"
            + " provisional at each node (%d nodes, %d s outage), final everywhere %.2f s after the"
            + " directory was back%n",
        published.size(), pending, count, outage.toSeconds(), convergence);
    System.out.printf(
        "directory restart: %d nodes registered again %.2f s after it was back%n",
        count, reRegistered);

    // One final order: a seq means the same message at every node that holds it.
    java.util.Map<Long, String> bySeq = new java.util.HashMap<>();
    Set<String> finalSomewhere = new HashSet<>();
    for (String n : nodes) {
      for (JsonNode r : finalRows(n)) {
        String id = r.get("messageId").asText();
        String before = bySeq.putIfAbsent(r.get("seq").asLong(), id);
        assertThat(before == null || before.equals(id))
            .as("seq %d is %s at one node and %s at %s", r.get("seq").asLong(), before, id, n)
            .isTrue();
        finalSomewhere.add(id);
      }
    }
    assertThat(finalSomewhere).containsAll(published);
    // and every node holds the same final order through the last of them, seq for seq
    long through = -1;
    for (JsonNode r : finalRows(nodes.get(0))) {
      if (published.contains(r.get("messageId").asText())) {
        through = Math.max(through, r.get("seq").asLong());
      }
    }
    long last = through;
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> {
          Set<List<String>> prefixes = new HashSet<>();
          for (String n : nodes) {
            prefixes.add(
                ids(finalRows(n).stream().filter(r -> r.get("seq").asLong() <= last).toList()));
          }
          return prefixes.size() == 1;
        });
    List<JsonNode> rows = finalRows(nodes.get(0));
    assertThat(rows.get(0).get("epoch").asLong()).isEqualTo(1);
    assertThat(rows.get(rows.size() - 1).get("epoch").asLong()).isGreaterThanOrEqualTo(2);

    // The directory's own assignments: no seq twice, no message twice.
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      p.waitFor(60, TimeUnit.SECONDS);
    }
    Set<Long> seqs = new HashSet<>();
    Set<String> messages = new HashSet<>();
    try (JournalReader r = Journals.openReader(tmp.resolve("directory").resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.SEQUENCE_ASSIGNED && e.peer() == null) {
          assertThat(seqs.add(e.finalSeq())).as("seq %d given twice", e.finalSeq()).isTrue();
          assertThat(messages.add(HexFormat.of().formatHex(e.messageId())))
              .as("message given two seqs")
              .isTrue();
        }
      }
    }
    assertThat(messages).containsAll(published);
  }

  private void directory(int port) throws Exception {
    start(
        "directory",
        "--role",
        "directory",
        "--listen",
        "/ip4/127.0.0.1/tcp/" + port,
        "--set",
        "directory.minTtl=1s");
  }

  private void node(String name, String directory, int rate) throws Exception {
    start(
        name,
        "--listen",
        "/ip4/127.0.0.1/tcp/0",
        "--topic",
        "chat",
        "--directory",
        directory,
        "--chat-rate",
        Integer.toString(rate),
        "--set",
        "reconciliation.resubmitInterval=500ms",
        "--set",
        "discovery.meshCheck=300ms",
        "--set",
        "discovery.interval=2s",
        "--set",
        "node.dial.backoffMin=50ms",
        "--set",
        "node.dial.backoffMax=300ms",
        "--set",
        "gossipsub.score.ipColocationFactorThreshold=100");
  }

  private void start(String name, String... extra) throws Exception {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    List<String> args =
        new ArrayList<>(List.of("node", "--stop-with-parent", "--data-dir", dir.toString()));
    args.addAll(List.of(extra));
    String run = name + "-" + processes.size();
    processes.add(
        MeshlogProcess.start(
            tmp.resolve(run + ".out"), tmp.resolve(run + ".err"), args.toArray(String[]::new)));
  }

  private String listening(String run) throws Exception {
    Path out = tmp.resolve(run + ".out");
    return MeshlogProcess.listeningAddress(out, Duration.ofSeconds(90));
  }

  /** A running node's order of "chat" as {@code meshlog order --format json} prints it. */
  private List<JsonNode> order(String name) throws Exception {
    Path dir = tmp.resolve(name);
    StringWriter out = new StringWriter();
    try (Projections p = Projections.openReadOnly(dir.resolve("projections"));
        JournalReader j = Journals.openReader(dir.resolve("journal"))) {
      TopicOrderReport.write(p, j, "chat", 0, TopicOrderReport.Format.json, new PrintWriter(out));
    } catch (ProjectionException | JournalException e) {
      return List.of(); // not readable this instant (a node starting, a record being written)
    }
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.toString().lines().toList()) {
      rows.add(json.readTree(line));
    }
    return rows;
  }

  private List<JsonNode> finalRows(String name) throws Exception {
    return order(name).stream().filter(r -> r.get("status").asText().equals("final")).toList();
  }

  private long provisional(String name) throws Exception {
    return order(name).stream().filter(r -> r.get("status").asText().equals("provisional")).count();
  }

  /** The peers registered in "chat" at a directory now, from its journal (running or not). */
  private static Set<String> registered(Path dir) {
    Set<String> out = new HashSet<>();
    java.time.Instant now = java.time.Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    try {
      for (var r : io.meshlog.tools.report.DirectoryPeersReport.read(dir, "chat", nowNanos)) {
        out.add(r.peer().toBase58());
      }
    } catch (JournalException e) {
      return Set.of(); // not readable this instant
    }
    return out;
  }

  /** The peers whose REGISTER the directory journaled since its {@code start}-th start. */
  private static Set<String> registeredSinceStart(Path dir, long start) {
    Set<String> out = new HashSet<>();
    long starts = 0;
    try (JournalReader r = Journals.openReader(dir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.NODE_STARTED) {
          starts++;
        } else if (e.type() == EventType.DIRECTORY_REGISTERED && starts >= start) {
          out.add(io.meshlog.node.p2p.PeerId.fromBytes(e.peer()).toBase58());
        }
      }
    } catch (JournalException e) {
      return Set.of();
    }
    return out;
  }

  /** The ids of the "chat" messages a running node delivered; null when not readable now. */
  private Set<String> delivered(String name) {
    return chatIds(name, EventType.DELIVER_MESSAGE);
  }

  /**
   * The ids of the "chat" events of {@code type} in a running node's journal; null when not
   * readable now.
   */
  private Set<String> chatIds(String name, EventType type) {
    Set<String> out = new HashSet<>();
    try (JournalReader r = Journals.openReader(tmp.resolve(name).resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == type && "chat".equals(e.topic())) {
          out.add(HexFormat.of().formatHex(e.messageId()));
        }
      }
    } catch (JournalException e) {
      return null;
    }
    return out;
  }

  private static List<String> ids(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("messageId").asText()).toList();
  }

  /**
   * Adds what a running node has published so far; false when its journal cannot be read this
   * instant (the reader met the record being written), so that the caller tries again.
   */
  private boolean published(String name, Set<String> into) {
    Set<String> out = chatIds(name, EventType.PUBLISH_MESSAGE);
    if (out == null) {
      return false;
    }
    into.addAll(out);
    return true;
  }
}
