package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.interop.JsPeer;
import io.meshlog.node.interop.JsPeerOptions;
import io.meshlog.node.interop.JsPeers;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One meshlog node hosting a community (docs/community.md): many peers connected to it at once,
 * each dialling only the node, spread over many topics, all on one address (127.0.0.1), at a chat
 * rate and the node's default settings. Every message reaches every subscriber and the node, the
 * node's meshes stay within D_lo..D_hi, and no peer is graylisted. The peers are js-libp2p nodes
 * (their own processes) and lightweight Java peers (a host and a router each, in this JVM).
 *
 * <p>The default run keeps a short version; {@code -Pslow} runs the hundred-peer community with the
 * figures of docs/community.md (memory per peer and per topic, CPU per delivered message, a burst
 * of 100 dials, the largest community served in full on this machine), written to {@code
 * target/community-scale.txt}.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class CommunityScaleIT {
  /** The node's default mesh bounds (gossipsub.dLo, gossipsub.dHi). */
  private static final int D_LO = 3;

  private static final int D_HI = 6;
  private static final int MESSAGE_BYTES = 120;

  /** A busy chat: two messages a second in each channel. */
  private static final int CHAT_RATE = 2;

  private static final Duration MESH_WAIT = Duration.ofSeconds(180);
  private static final Duration DELIVERY_WAIT = Duration.ofSeconds(90);
  private static final Path REPORT = Path.of("target", "community-scale.txt");

  @RegisterExtension final JsPeers js = new JsPeers();

  /** Kept when a test fails: the node's journal and output say why a peer went away. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  /**
   * A community: {@code peers} members ({@code jsPeers} of them js-libp2p), each in {@code
   * topicsPerPeer} of {@code topics} topics, publishing {@code perTopicRate} messages a second in
   * each topic for {@code publishing}.
   */
  record Scale(
      int peers,
      int jsPeers,
      int topics,
      int topicsPerPeer,
      int perTopicRate,
      Duration publishing) {
    int messages() {
      return (int) (perTopicRate * topics * publishing.toMillis() / 1000);
    }

    @Override
    public String toString() {
      return peers
          + " peers ("
          + jsPeers
          + " js), "
          + topics
          + " topics, "
          + topicsPerPeer
          + " each, "
          + perTopicRate
          + " msg/s per topic for "
          + publishing.toSeconds()
          + " s";
    }
  }

  @Test
  void shouldServeASmallCommunityInFull() throws Exception {
    Outcome o = run(new Scale(24, 4, 6, 3, 5, Duration.ofSeconds(8)), "short");
    o.assertServedInFull();
  }

  @Tag("slow")
  @Test
  void shouldServeAHundredPeersInTwentyTopicsInFull() throws Exception {
    Outcome o = run(new Scale(100, 20, 20, 4, CHAT_RATE, Duration.ofSeconds(60)), "hundred");
    report(o.figures());
    long perTopic = perTopicHeap(); // measured whatever the community's outcome
    report(
        List.of(
            "heap per topic (node alone, 201 topics vs 1, after full GC): "
                + kib(perTopic)
                + " KiB"));
    o.assertServedInFull();
  }

  @Tag("slow")
  @Test
  void shouldConnectABurstOfAHundredDials() throws Exception {
    List<String> topics = topics(20);
    List<Double> dialerRates = new ArrayList<>();
    List<Double> nodeRates = new ArrayList<>();
    ExecutorService dialer = Executors.newFixedThreadPool(4);
    try (NodeUnderTest node = NodeUnderTest.start(tmp.resolve("burst"), topics)) {
      PeerId hub = PeerId.parse(node.peerId());
      Multiaddr to = Multiaddr.parse(node.address());
      long fds0 = node.openFileDescriptors();
      for (int round = 0; round < 3; round++) {
        List<LightPeer> peers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          peers.add(new LightPeer(hub, dialer));
        }
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> dials = new ArrayList<>();
        for (LightPeer p : peers) {
          dials.add(p.host().dial(to));
        }
        CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        Await.until(
            "the node counts 100 connected peers",
            Duration.ofSeconds(60),
            () -> node.peerCount() >= 100);
        long t2 = System.nanoTime();
        dialerRates.add(100 / ((t1 - t0) / 1e9));
        nodeRates.add(100 / ((t2 - t0) / 1e9));
        if (round == 2) {
          report(
              List.of(
                  "file descriptors of the node: "
                      + fds0
                      + " with no peer, "
                      + node.openFileDescriptors()
                      + " with 100 (limit "
                      + node.maxFileDescriptors()
                      + ")"));
        }
        for (LightPeer p : peers) {
          p.close();
        }
        Await.until(
            "the node counts no connected peer",
            Duration.ofSeconds(60),
            () -> node.peerCount() == 0);
      }
    } finally {
      dialer.shutdownNow();
    }
    report(
        List.of(
            "burst of 100 dials, connections/s secured and muxed at the dialers, min/median/max of 3: "
                + spread(dialerRates),
            "burst of 100 dials, connections/s until the node counts all 100 peers: "
                + spread(nodeRates)));
    assertThat(nodeRates).allSatisfy(r -> assertThat(r).isPositive());
  }

  @Tag("slow")
  @Test
  void shouldFindTheLargestCommunityServedInFull() throws Exception {
    int largest = 0;
    List<String> lines = new ArrayList<>();
    for (int peers : new int[] {25, 50, 100, 200, 300}) {
      Scale s = new Scale(peers, Math.min(20, peers / 5), 20, 4, 10, Duration.ofSeconds(20));
      Outcome o;
      try {
        o = run(s, "ladder-" + peers);
      } catch (Exception | AssertionError e) {
        lines.add(s + ": not set up: " + firstLine(e));
        break;
      }
      lines.add(s + ": " + o.summary());
      if (!o.servedInFull()) {
        break;
      }
      largest = peers;
    }
    lines.add(
        "largest community served in full at 10 msg/s per topic on this machine: "
            + largest
            + " peers");
    report(lines);
    assertThat(largest).as("the smallest community of the ladder is served in full").isPositive();
  }

  // --- one run ----------------------------------------------------------------------------

  private Outcome run(Scale s, String name) throws Exception {
    List<String> topics = topics(s.topics());
    List<List<String>> memberTopics = assign(s, topics);
    List<Member> members = new ArrayList<>();
    ExecutorService dialer = Executors.newFixedThreadPool(4);
    NodeUnderTest node = NodeUnderTest.start(tmp.resolve(name), topics);
    MeshSampler sampler = new MeshSampler(node, topics);
    Outcome o = new Outcome(s);
    Map<String, Set<Member>> expected = new HashMap<>();
    try {
      o.heapAlone = node.heapAfterGc();
      o.rssAlone = node.residentBytes();
      o.fdsAlone = node.openFileDescriptors();
      o.maxFds = node.maxFileDescriptors();
      PeerId hub = PeerId.parse(node.peerId());
      Multiaddr to = Multiaddr.parse(node.address());
      startJsMembers(s, memberTopics, node, members);
      for (int i = s.jsPeers(); i < s.peers(); i++) {
        LightMember m = new LightMember(i, new LightPeer(hub, dialer), memberTopics.get(i));
        m.join(to);
        members.add(m);
      }
      awaitCommunity(s, node, topics, members);
      // the node's CPU with the peers and no message (before any forced collection)
      long idle0 = node.cpuNanos();
      long idleStart = System.nanoTime();
      LockSupport.parkNanos(Duration.ofSeconds(3).toNanos());
      o.idleCpuPerSecond = (node.cpuNanos() - idle0) / ((System.nanoTime() - idleStart) / 1e9);
      o.heapConnected = node.heapAfterGc();
      o.rssConnected = node.residentBytes();
      o.fdsConnected = node.openFileDescriptors();

      o.markTrafficStart(node);
      long started = System.nanoTime();
      sampler.start();
      Map<String, Long> publishedAt = new HashMap<>();
      publish(s, topics, members, expected, publishedAt);
      o.publishedAfter = Duration.ofNanos(System.nanoTime() - started);
      List<String> failed = new ArrayList<>();
      for (Member m : members) {
        if (m instanceof JsMember j) {
          failed.addAll(j.publishFailures());
        }
      }
      assertThat(failed).as("js publishes that failed").isEmpty();
      o.jsPublishedAfter = Duration.ofNanos(System.nanoTime() - started);
      o.deliveries = expected.values().stream().mapToLong(Set::size).sum();
      // Members are looked at every pass, the node once a second (each look reads its Topic
      // MBeans).
      long[] done = {0, 0, 0}; // when the Java members, the js members and the node had everything
      long[] nextNodeLook = {0};
      await(
          "every subscriber and the node have every message",
          DELIVERY_WAIT,
          () -> {
            members.forEach(Member::poll);
            Map<Member, Integer> left = missing(expected);
            long now = System.nanoTime();
            if (done[0] == 0 && left.keySet().stream().noneMatch(m -> m instanceof LightMember)) {
              done[0] = now;
            }
            if (done[1] == 0 && left.keySet().stream().noneMatch(m -> m instanceof JsMember)) {
              done[1] = now;
            }
            if (done[2] == 0 && now >= nextNodeLook[0]) {
              nextNodeLook[0] = now + 1_000_000_000L;
              if (nodeCount(node, topics) >= expected.size()) {
                done[2] = now;
              }
            }
            return done[0] != 0 && done[1] != 0 && done[2] != 0;
          },
          () -> "still missing: " + describeMissing(missing(expected)));
      o.javaDoneAfter = Duration.ofNanos(done[0] - started);
      o.jsDoneAfter = Duration.ofNanos(done[1] - started);
      o.nodeDoneAfter = Duration.ofNanos(done[2] - started);
      o.deliveredAfter = Duration.ofNanos(System.nanoTime() - started);
      o.markTrafficEnd(node);
      sampler.stop();
      o.meshSamples = sampler.samples();
      o.meshOutOfRangeTwice = sampler.outOfRangeTwice();
      o.heapAfterTraffic = node.heapAfterGc();
      o.rssAfterTraffic = node.residentBytes();
      o.graylistNotifications = node.graylistNotifications().size();
      o.graylistedRows = node.graylistedRows();
      for (Member m : members) {
        o.graylistedByMembers += m.graylisted();
        o.receivedTwice += m.receivedTwice();
      }
      o.published = expected.size();
      o.latencies = latencies(members, publishedAt);
      node.stop();
      o.nodeDeliveredOnce = nodeDeliveredOnce(node.dataDir(), expected.keySet());
    } catch (AssertionError e) {
      o.failure = e.getMessage();
      o.markTrafficEnd(node); // how busy the machine and the node were when it went wrong
    } finally {
      sampler.stop();
      for (Member m : members) {
        m.close();
        if (o.failure != null && m instanceof JsMember j) {
          j.keepStderr(tmp.resolve(name + "-" + j + ".err")); // kept with the node's journal
        }
      }
      dialer.shutdownNow();
      node.close();
    }
    return o;
  }

  private void startJsMembers(
      Scale s, List<List<String>> memberTopics, NodeUnderTest node, List<Member> members)
      throws Exception {
    JsPeerOptions options =
        JsPeerOptions.defaults()
            .allowLoopback()
            .with("trust", node.peerId())
            .with("colocationWhitelist", "127.0.0.1")
            .withStartTimeout(Duration.ofSeconds(120));
    ExecutorService starter = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<JsPeer>> started = new ArrayList<>();
      for (int i = 0; i < s.jsPeers(); i++) {
        started.add(CompletableFuture.supplyAsync(() -> js.start(options), starter));
      }
      for (int i = 0; i < s.jsPeers(); i++) {
        JsMember m =
            new JsMember(i, started.get(i).get(150, TimeUnit.SECONDS), memberTopics.get(i));
        m.join(node.address());
        members.add(m);
      }
    } finally {
      starter.shutdownNow();
    }
  }

  /**
   * Waits until the node counts every member, its meshes are within D_lo..D_hi, and every member
   * has a mesh peer in each of its topics, for 3 s in a row (the node prunes beyond D_hi on its
   * heartbeat, and the pruned members then dial the peers offered to them).
   */
  private static void awaitCommunity(
      Scale s, NodeUnderTest node, List<String> topics, List<Member> members) {
    long[] steadySince = {0};
    await(
        "the community's meshes form and hold for 3 s",
        MESH_WAIT,
        () -> {
          boolean ready = node.peerCount() >= s.peers();
          for (String t : topics) {
            int mesh = node.meshPeers(t);
            ready &= mesh >= D_LO && mesh <= D_HI;
          }
          for (Member m : members) {
            ready &= m.inEveryMesh();
          }
          long now = System.nanoTime();
          if (!ready) {
            steadySince[0] = 0;
            return false;
          }
          if (steadySince[0] == 0) {
            steadySince[0] = now;
          }
          return now - steadySince[0] >= Duration.ofSeconds(3).toNanos();
        },
        () -> meshReport(node, topics, members));
  }

  /** As {@link Await#until}, with what {@code detail} says then in the failure. */
  private static void await(
      String what,
      Duration limit,
      java.util.concurrent.Callable<Boolean> condition,
      java.util.function.Supplier<String> detail) {
    try {
      Await.until(what, limit, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + detail.get(), e);
    }
  }

  private static String meshReport(NodeUnderTest node, List<String> topics, List<Member> members) {
    StringBuilder b = new StringBuilder();
    try {
      b.append("node peers ").append(node.peerCount()).append("; node meshes");
      for (String t : topics) {
        b.append(' ').append(t).append('=').append(node.meshPeers(t));
      }
    } catch (Exception e) {
      b.append(" unreadable: ").append(e);
    }
    List<String> lonely = new ArrayList<>();
    for (Member m : members) {
      if (!m.inEveryMesh()) {
        lonely.add(m.toString());
      }
    }
    return b.append("; members without a mesh peer in one of their topics: ")
        .append(lonely)
        .toString();
  }

  /** Publishes at the scale's rate, topics in turn, each topic's subscribers in turn. */
  private static void publish(
      Scale s,
      List<String> topics,
      List<Member> members,
      Map<String, Set<Member>> expected,
      Map<String, Long> publishedAt) {
    Map<String, List<Member>> subscribers = new HashMap<>();
    for (String t : topics) {
      subscribers.put(t, new ArrayList<>());
    }
    for (Member m : members) {
      for (String t : m.topics()) {
        subscribers.get(t).add(m);
      }
    }
    long interval = 1_000_000_000L / ((long) s.perTopicRate() * s.topics());
    long start = System.nanoTime();
    for (int n = 0; n < s.messages(); n++) {
      long due = start + n * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String topic = topics.get(n % topics.size());
      List<Member> subs = subscribers.get(topic);
      Member from = subs.get((n / topics.size()) % subs.size());
      String text = text(topic, n, from);
      Set<Member> to = ConcurrentHashMap.newKeySet();
      to.addAll(subs);
      to.remove(from);
      expected.put(text, to);
      if (from instanceof LightMember) {
        publishedAt.put(text, System.nanoTime()); // js publishes on its own thread, later
      }
      from.publish(topic, text);
    }
  }

  private static String text(String topic, int n, Member from) {
    StringBuilder b = new StringBuilder(topic + "|" + n + "|" + from + "|");
    while (b.length() < MESSAGE_BYTES) {
      b.append('.');
    }
    return b.toString();
  }

  private static Map<Member, Integer> missing(Map<String, Set<Member>> expected) {
    Map<Member, Integer> missing = new HashMap<>();
    for (Map.Entry<String, Set<Member>> e : expected.entrySet()) {
      e.getValue().removeIf(m -> m.has(e.getKey()));
      for (Member m : e.getValue()) {
        missing.merge(m, 1, Integer::sum);
      }
    }
    return missing;
  }

  private static String describeMissing(Map<Member, Integer> missing) {
    return missing.isEmpty() ? "none at the members (the node lags)" : missing.toString();
  }

  private static long nodeCount(NodeUnderTest node, List<String> topics) throws Exception {
    long sum = 0;
    for (String t : topics) {
      sum += node.messageCount(t);
    }
    return sum;
  }

  /** Whether the node's journal holds one DELIVER_MESSAGE of each text, and only one. */
  private static boolean nodeDeliveredOnce(Path dataDir, Set<String> texts) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    try (JournalReader r = Journals.openReader(dataDir.resolve("journal"))) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.DELIVER_MESSAGE && e.data() != null) {
          seen.merge(new String(e.data(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
      }
    }
    for (String t : texts) {
      if (seen.getOrDefault(t, 0) != 1) {
        return false;
      }
    }
    return true;
  }

  // --- figures ----------------------------------------------------------------------------

  /**
   * Publish-to-arrival times at the Java members (publisher and members share this JVM's clock).
   */
  private static long[] latencies(List<Member> members, Map<String, Long> publishedAt) {
    List<Long> all = new ArrayList<>();
    for (Member m : members) {
      if (m instanceof LightMember l) {
        for (Map.Entry<String, Long> e : l.arrivals().entrySet()) {
          Long at = publishedAt.get(e.getKey());
          if (at != null) {
            all.add(e.getValue() - at);
          }
        }
      }
    }
    Collections.sort(all);
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static String percentiles(long[] sorted) {
    if (sorted.length == 0) {
      return "none";
    }
    return String.format(
        "p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d arrivals",
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }

  /** The node's heap per topic: a node alone on 201 topics against one on 1 topic. */
  private long perTopicHeap() throws Exception {
    long one;
    long many;
    try (NodeUnderTest n = NodeUnderTest.start(tmp.resolve("one-topic"), topics(1))) {
      one = n.heapAfterGc();
    }
    try (NodeUnderTest n = NodeUnderTest.start(tmp.resolve("many-topics"), topics(201))) {
      many = n.heapAfterGc();
    }
    return (many - one) / 200;
  }

  private static void report(List<String> lines) throws IOException {
    Files.createDirectories(REPORT.getParent());
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      System.out.println("community-scale: " + l);
      b.append(l).append('\n');
    }
    Files.writeString(REPORT, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String spread(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    return String.format("%.0f / %.0f / %.0f", v.get(0), v.get(v.size() / 2), v.get(v.size() - 1));
  }

  private static long kib(long bytes) {
    return Math.round(bytes / 1024.0);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }

  private static List<String> topics(int n) {
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      topics.add(String.format("channel-%02d", i));
    }
    return topics;
  }

  /**
   * Gives each member {@code topicsPerPeer} distinct topics, always among the least-subscribed so
   * far (ties broken by a seeded draw), so every topic has about the same crowd and the js members
   * are spread over the topics like the others.
   */
  private static List<List<String>> assign(Scale s, List<String> topics) {
    Random random = new Random(42);
    int[] crowd = new int[topics.size()];
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < s.peers(); i++) {
      List<Integer> order = new ArrayList<>();
      for (int t = 0; t < topics.size(); t++) {
        order.add(t);
      }
      Collections.shuffle(order, random);
      order.sort((a, b) -> Integer.compare(crowd[a], crowd[b]));
      List<String> mine = new ArrayList<>();
      for (int k = 0; k < s.topicsPerPeer(); k++) {
        crowd[order.get(k)]++;
        mine.add(topics.get(order.get(k)));
      }
      out.add(mine);
    }
    return out;
  }

  /** What a run measured and found. */
  static final class Outcome {
    final Scale scale;
    long heapAlone;
    long heapConnected;
    long heapAfterTraffic;
    long rssAlone;
    long rssConnected;
    long rssAfterTraffic;
    long fdsAlone;
    long fdsConnected;
    long maxFds;
    double idleCpuPerSecond;
    long nodeCpu;
    double machineBusy;
    Duration deliveredAfter;
    Duration publishedAfter;
    Duration jsPublishedAfter;
    Duration javaDoneAfter;
    Duration jsDoneAfter;
    Duration nodeDoneAfter;
    int published;
    long deliveries;
    int meshSamples;
    List<String> meshOutOfRangeTwice = List.of();
    int graylistNotifications;
    List<String> graylistedRows = List.of();
    long graylistedByMembers;
    long receivedTwice;
    long[] latencies = new long[0];
    boolean nodeDeliveredOnce;
    String failure;
    private long cpuMark = -1; // -1: the traffic has not started
    private long machineMark;
    private long totalMark;
    private long trafficStart;
    private Duration trafficTook; // null until markTrafficEnd took the figures

    Outcome(Scale scale) {
      this.scale = scale;
    }

    /** Marks the start of the traffic: CPU figures count from here. */
    void markTrafficStart(NodeUnderTest node) throws Exception {
      cpuMark = node.cpuNanos();
      machineMark = MachineCpu.busyTicks();
      totalMark = MachineCpu.totalTicks();
      trafficStart = System.nanoTime();
    }

    /**
     * Takes the node's CPU and the machine's busy share since {@link #markTrafficStart}, once;
     * nothing when the run failed before its traffic.
     */
    void markTrafficEnd(NodeUnderTest node) {
      if (cpuMark < 0 || trafficTook != null) {
        return;
      }
      try {
        machineBusy =
            (MachineCpu.busyTicks() - machineMark) / (double) (MachineCpu.totalTicks() - totalMark);
        nodeCpu = node.cpuNanos() - cpuMark;
      } catch (Exception e) {
        nodeCpu = 0; // the node is gone: its share is unknown
      }
      trafficTook = Duration.ofNanos(System.nanoTime() - trafficStart);
    }

    /** The node's share of the machine's two (or more) cores while the traffic ran. */
    private double nodeShareOfMachine() {
      double seconds = trafficTook.toNanos() / 1e9;
      return nodeCpu / 1e9 / seconds / Runtime.getRuntime().availableProcessors();
    }

    boolean servedInFull() {
      return failure == null
          && nodeDeliveredOnce
          && meshOutOfRangeTwice.isEmpty()
          && graylistNotifications == 0
          && graylistedRows.isEmpty()
          && graylistedByMembers == 0
          && receivedTwice == 0;
    }

    void assertServedInFull() {
      assertThat(failure).as("every subscriber gets every message (%s)", scale).isNull();
      assertThat(nodeDeliveredOnce).as("the node journals each message once, delivered").isTrue();
      assertThat(receivedTwice).as("messages handed to a member twice").isZero();
      assertThat(meshOutOfRangeTwice)
          .as("node meshes outside %d..%d at two samples in a row", D_LO, D_HI)
          .isEmpty();
      assertThat(meshSamples).as("mesh samples taken").isPositive();
      assertThat(graylistNotifications).as("io.meshlog.peer.graylisted notifications").isZero();
      assertThat(graylistedRows).as("graylisted rows of the Peers table").isEmpty();
      assertThat(graylistedByMembers).as("peers graylisted by the Java members").isZero();
    }

    String summary() {
      if (failure != null) {
        String load =
            trafficTook != null
                ? String.format(
                    " (while the traffic ran: machine CPU busy %.0f %%, the node's share %.0f %%)",
                    machineBusy * 100, nodeShareOfMachine() * 100)
                : "";
        return "NOT served in full: " + failure.lines().findFirst().orElse("") + load;
      }
      return String.format(
          "%s: %d messages, %d deliveries, all delivered %.1f s after the first publish"
              + " (publishing took %.1f s, the js members had answered every publish after %.1f"
              + " s; the Java members had all theirs after %.1f s, the js"
              + " members after %.1f s, the node after %.1f s); publish to arrival, Java member to"
              + " Java member, %s;"
              + " node CPU %.0f us per message it delivered; machine CPU busy %.0f %%",
          servedInFull() ? "served in full" : "NOT served in full",
          published,
          deliveries,
          deliveredAfter.toMillis() / 1000.0,
          publishedAfter.toMillis() / 1000.0,
          jsPublishedAfter.toMillis() / 1000.0,
          javaDoneAfter.toMillis() / 1000.0,
          jsDoneAfter.toMillis() / 1000.0,
          nodeDoneAfter.toMillis() / 1000.0,
          percentiles(latencies),
          nodeCpu / 1000.0 / published,
          machineBusy * 100);
    }

    List<String> figures() {
      int peers = scale.peers();
      boolean traffic = heapAfterTraffic > 0; // measured only when the traffic was served
      return List.of(
          "run: " + scale + " -> " + summary(),
          String.format(
                  "node heap after full GC: %d KiB alone, %d KiB with %d peers meshed -> %.1f KiB"
                      + " per connected peer",
                  kib(heapAlone),
                  kib(heapConnected),
                  peers,
                  (heapConnected - heapAlone) / 1024.0 / peers)
              + (traffic
                  ? String.format(
                      "; %d KiB after the traffic (%.1f KiB per peer with its traffic)",
                      kib(heapAfterTraffic), (heapAfterTraffic - heapAlone) / 1024.0 / peers)
                  : "; after the traffic: not measured, the run failed"),
          String.format(
                  "node resident set: %d MiB alone, %d MiB with the peers",
                  rssAlone >> 20, rssConnected >> 20)
              + (traffic
                  ? String.format(
                      ", %d MiB after the traffic -> %.0f KiB per peer",
                      rssAfterTraffic >> 20, (rssAfterTraffic - rssAlone) / 1024.0 / peers)
                  : ""),
          String.format(
              "node file descriptors: %d alone, %d with %d peers (limit %d)",
              fdsAlone, fdsConnected, peers, maxFds),
          String.format(
                  "node CPU with the peers and no message: %.1f ms a second",
                  idleCpuPerSecond / 1e6)
              + (traffic
                  ? String.format(
                      "; %.0f us per message it delivered, that idle share included; %d"
                          + " deliveries to members",
                      nodeCpu / 1000.0 / published, deliveries)
                  : ""));
    }
  }

  /** Samples the node's mesh degree of every topic once a second. */
  static final class MeshSampler {
    private final NodeUnderTest node;
    private final List<String> topics;
    private final Map<String, Boolean> lastOut = new HashMap<>();
    private final List<String> outTwice = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running;
    private volatile int samples;
    private Thread thread;

    MeshSampler(NodeUnderTest node, List<String> topics) {
      this.node = node;
      this.topics = topics;
    }

    void start() {
      running = true;
      thread =
          new Thread(
              () -> {
                long next = System.nanoTime();
                while (running) {
                  sample();
                  next += Duration.ofSeconds(1).toNanos();
                  LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
              },
              "mesh-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() {
      try {
        for (String t : topics) {
          int mesh = node.meshPeers(t);
          boolean out = mesh < D_LO || mesh > D_HI;
          if (out && lastOut.getOrDefault(t, false)) {
            outTwice.add(t + " mesh " + mesh + " at sample " + samples);
          }
          lastOut.put(t, out);
        }
        samples++;
      } catch (Exception e) {
        outTwice.add("unreadable: " + e);
      }
    }

    /** Stops the sampling thread, if it started; again is a no-op. */
    void stop() throws InterruptedException {
      running = false;
      if (thread != null) {
        thread.join(10_000);
      }
    }

    int samples() {
      return samples;
    }

    List<String> outOfRangeTwice() {
      return List.copyOf(outTwice);
    }
  }

  /** The machine's CPU ticks from /proc/stat: all, and all but idle and iowait. */
  static final class MachineCpu {
    static long totalTicks() throws IOException {
      long sum = 0;
      for (long v : fields()) {
        sum += v;
      }
      return sum;
    }

    static long busyTicks() throws IOException {
      long[] f = fields();
      return totalTicks() - f[3] - f[4];
    }

    private static long[] fields() throws IOException {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] parts = cpu.trim().split("\\s+");
      long[] f = new long[Math.min(8, parts.length - 1)];
      for (int i = 0; i < f.length; i++) {
        f[i] = Long.parseLong(parts[i + 1]);
      }
      return f;
    }
  }

  /** A community member, js or Java. */
  interface Member extends AutoCloseable {
    List<String> topics();

    void publish(String topic, String text);

    /** Collects what arrived since the last call (js reports messages as events). */
    void poll();

    boolean has(String text);

    /** Whether it has a mesh peer in each of its topics. */
    boolean inEveryMesh();

    long graylisted();

    long receivedTwice();

    @Override
    void close();
  }

  static final class LightMember implements Member {
    private final int index;
    private final LightPeer peer;
    private final List<String> topics;

    LightMember(int index, LightPeer peer, List<String> topics) {
      this.index = index;
      this.peer = peer;
      this.topics = topics;
    }

    void join(Multiaddr node) throws Exception {
      for (String t : topics) {
        peer.gossip().subscribe(t);
      }
      peer.host().dial(node).get(60, TimeUnit.SECONDS);
    }

    @Override
    public List<String> topics() {
      return topics;
    }

    @Override
    public void publish(String topic, String text) {
      peer.gossip().publish(topic, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void poll() {}

    @Override
    public boolean has(String text) {
      return peer.received().containsKey(text);
    }

    /** When each message arrived ({@link System#nanoTime}). */
    Map<String, Long> arrivals() {
      return peer.received();
    }

    @Override
    public boolean inEveryMesh() {
      try {
        for (String t : topics) {
          if (peer.gossip().meshPeers(t).get(10, TimeUnit.SECONDS).isEmpty()) {
            return false;
          }
        }
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    @Override
    public long graylisted() {
      try {
        return peer.gossip().graylisted().get(10, TimeUnit.SECONDS).size();
      } catch (Exception e) {
        throw new IllegalStateException(this + ": graylist unreadable", e);
      }
    }

    @Override
    public long receivedTwice() {
      return peer.receivedTwice();
    }

    @Override
    public void close() {
      peer.close();
    }

    @Override
    public String toString() {
      return "java" + index;
    }
  }

  static final class JsMember implements Member {
    /** js-libp2p's default graylist threshold. */
    private static final double JS_GRAYLIST = -80;

    private final int index;
    private final JsPeer peer;
    private String node;
    private final List<String> topics;
    private final Set<String> received = new HashSet<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private long twice;

    JsMember(int index, JsPeer peer, List<String> topics) {
      this.index = index;
      this.peer = peer;
      this.topics = topics;
    }

    void join(String node) {
      this.node = node.substring(node.lastIndexOf('/') + 1);
      for (String t : topics) {
        peer.subscribe(t);
      }
      peer.dial(node);
    }

    @Override
    public List<String> topics() {
      return topics;
    }

    /**
     * Hands the publish to this member's own thread: a js peer answers each command in turn, and a
     * busy one must not hold up the other members' publishing.
     */
    @Override
    public void publish(String topic, String text) {
      publisher.execute(
          () -> {
            try {
              peer.publish(topic, text.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
              failures.add(text + ": " + e.getMessage());
            }
          });
    }

    /** Waits until every publish handed over has been answered; what failed. */
    List<String> publishFailures() throws InterruptedException {
      publisher.shutdown();
      if (!publisher.awaitTermination(5, TimeUnit.MINUTES)) {
        failures.add("publishes still unanswered after 5 minutes");
      }
      return List.copyOf(failures);
    }

    @Override
    public synchronized void poll() {
      for (JsonNode e : peer.takeEvents(JsPeer.event("message"))) {
        String text =
            new String(Base64.getDecoder().decode(e.path("data").asText()), StandardCharsets.UTF_8);
        if (!received.add(text)) {
          twice++;
        }
      }
    }

    @Override
    public synchronized boolean has(String text) {
      return received.contains(text);
    }

    @Override
    public boolean inEveryMesh() {
      for (String t : topics) {
        if (peer.meshPeers(t).isEmpty()) {
          return false;
        }
      }
      return true;
    }

    /** 1 when js scores the node below its graylist threshold (-80), else 0. */
    @Override
    public long graylisted() {
      double score = peer.command("peerScore", Map.of("peer", node)).path("score").asDouble();
      return score < JS_GRAYLIST ? 1 : 0;
    }

    @Override
    public synchronized long receivedTwice() {
      return twice;
    }

    @Override
    public void close() {
      publisher.shutdownNow();
      peer.close();
    }

    /**
     * Writes the tail of the js process's stderr to {@code file}: what it said before it failed.
     */
    void keepStderr(Path file) throws IOException {
      Files.writeString(file, peer.stderr(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "js" + index;
    }
  }
}
