package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog top} against a real node: node a publishes chat and serves password-protected
 * remote JMX, node b is connected to it, so a has a peer and a topic with traffic. The nodes are
 * shared by the tests (starting them is most of the time).
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopIT {
  private static final Pattern APPENDED = Pattern.compile("journal appended (\\d+) ");

  @TempDir static Path tmp;

  private final ObjectMapper strict =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final List<Process> processes = new ArrayList<>();
  private Path password;
  private Path dirA;
  private int jmxPortA;
  private String peerA;
  private String peerB;

  @BeforeAll
  void startTwoNodes() throws Exception {
    password = tmp.resolve("jmx.password");
    Files.createFile(
        password,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, "ops s3cret\n");
    dirA = tmp.resolve("a");
    jmxPortA = freePort();
    String addressA =
        node(
            "a",
            "--chat-rate",
            "20",
            "--jmx-port",
            Integer.toString(jmxPortA),
            "--jmx-password-file",
            password.toString());
    peerA = addressA.substring(addressA.lastIndexOf('/') + 1);
    String addressB = node("b", "--peer", addressA);
    peerB = addressB.substring(addressB.lastIndexOf('/') + 1);
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.exists(dirA.resolve("consoles.properties")));
  }

  @AfterAll
  void stopNodes() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldPrintTheNodesPeerTopicAndJournalAsOneJsonObject() throws Exception {
    // Until b is a's mesh peer on chat and a's chat messages count.
    AtomicReference<JsonNode> last = new AtomicReference<>();
    MeshlogProcess.until(
        Duration.ofSeconds(30),
        () -> {
          JsonNode o = once();
          last.set(o);
          JsonNode chat = topic(o, "chat");
          return peer(o, peerB) != null && chat != null && chat.get("meshPeers").asInt() >= 1;
        });
    JsonNode o = last.get();

    assertThat(o.get("intervalMillis").asLong()).isBetween(400L, 5_000L);
    JsonNode node = o.get("node");
    assertThat(node.get("peerId").asText()).isEqualTo(peerA);
    assertThat(node.get("health").asText()).isEqualTo("healthy");
    assertThat(node.get("uptimeSeconds").isIntegralNumber()).isTrue();
    assertThat(node.get("listenAddresses").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");

    JsonNode journal = o.get("journal");
    long appended = journal.get("appendedIndex").asLong();
    long applied = journal.get("appliedIndex").asLong();
    assertThat(appended).isPositive();
    assertThat(applied).isPositive().isLessThanOrEqualTo(appended);
    assertThat(journal.get("lag").asLong()).isNotNegative();
    assertThat(journal.get("eventsAppended").asLong()).isPositive();
    // 20 chat messages a second are journaled, so events are too, every interval.
    assertThat(journal.get("eventsPerSecond").asDouble()).isPositive();
    assertThat(journal.get("sizeBytes").asLong()).isPositive();

    JsonNode chat = topic(o, "chat");
    assertThat(chat.get("subscribed").asBoolean()).isTrue();
    assertThat(chat.get("messages").asLong()).isPositive();
    assertThat(chat.get("messagesPerSecond").isNumber()).isTrue();
    assertThat(chat.get("messagesPerSecond").asDouble()).isNotNegative();
    assertThat(chat.get("duplicates").isIntegralNumber()).isTrue();
    assertThat(chat.get("latencyP50Millis").isNumber()).isTrue();
    // No directory: a's chat messages stay provisional, none is final.
    assertThat(chat.get("unconfirmed").asLong()).isPositive();
    assertThat(chat.get("lastFinalSeq").asLong()).isEqualTo(-1);

    JsonNode b = peer(o, peerB);
    assertThat(b.get("direction").asText()).isEqualTo("inbound");
    assertThat(b.get("remoteAddress").asText()).contains("127.0.0.1");
    assertThat(b.get("messagesOut").asLong()).as("a's chat goes out to b").isPositive();
    assertThat(b.get("messagesOutPerSecond").isNumber()).isTrue();
    assertThat(b.get("rttMillis").isNumber()).isTrue();
    assertThat(b.get("score").isNumber()).isTrue();

    // Piped, the text view is plain lines: no escape codes to garble a file or a pager.
    Run text = run("top", "--data-dir", dirA.toString(), "--once", "--interval", "200ms");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).doesNotContain("\033").contains("meshlog top  " + peerA);
    assertThat(chatRow(text.out())).as(text.out()).isTrue();
  }

  @Test
  void shouldFindTheNodeByItsJmxAddressWithTheGivenLoginAndSayWhenItIsRefused() throws Exception {
    String address = "127.0.0.1:" + jmxPortA;
    JsonNode o =
        json(
            "--jmx",
            address,
            "--jmx-user",
            "ops",
            "--jmx-password-file",
            password.toString(),
            "--interval",
            "300ms");
    assertThat(o.get("node").get("peerId").asText()).isEqualTo(peerA);
    assertThat(o.get("journal").get("eventsAppended").asLong()).isPositive();

    // The same user with a wrong password: refused, exit 2, and it says so.
    Path wrong = tmp.resolve("wrong.password");
    Files.createFile(
        wrong, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(wrong, "guest nothing\nops not-the-password\n");
    Run refused =
        run(
            "top",
            "--jmx",
            address,
            "--jmx-user",
            "ops",
            "--jmx-password-file",
            wrong.toString(),
            "--once",
            "--interval",
            "300ms");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.out() + refused.err()).contains("refused the credentials");
  }

  @Test
  void shouldPrintOneStrictJsonLinePerRefreshAndExitZeroOnSigterm() throws Exception {
    Path out = tmp.resolve("top-json.out");
    Process top =
        MeshlogProcess.start(
            out,
            tmp.resolve("top-json.err"),
            "top",
            "--data-dir",
            dirA.toString(),
            "--format",
            "json",
            "--interval",
            "300ms");
    processes.add(top);
    MeshlogProcess.until(Duration.ofSeconds(30), () -> Files.readAllLines(out).size() >= 3);
    top.destroy();
    assertThat(top.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(top.exitValue()).as(Files.readString(tmp.resolve("top-json.err"))).isZero();
    List<String> lines = Files.readAllLines(out);
    long previous = -1;
    for (String line : lines) {
      assertThat(line).as("every line is one object").startsWith("{").endsWith("}");
      JsonNode o = strict.readTree(line);
      assertThat(o.get("node").get("peerId").asText()).isEqualTo(peerA);
      long appended = o.get("journal").get("eventsAppended").asLong();
      assertThat(appended).isGreaterThanOrEqualTo(previous);
      previous = appended;
    }
  }

  @Test
  void shouldShowTheNodeUnreachableWhileItRestartsAndGoOnWatchingIt() throws Exception {
    // A node of its own, so that stopping it leaves the other tests' nodes alone.
    String[] jmx = {
      "--jmx-port", Integer.toString(freePort()), "--jmx-password-file", password.toString()
    };
    Path dirC = tmp.resolve("c");
    String addressC = nodeRun("c", "c", jmx);
    String peerC = addressC.substring(addressC.lastIndexOf('/') + 1);
    Process c = processes.get(processes.size() - 1);
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> Files.exists(dirC.resolve("consoles.properties")));
    Path out = tmp.resolve("top-restart.out");
    Path err = tmp.resolve("top-restart.err");
    Process top =
        MeshlogProcess.start(
            out,
            err,
            "top",
            "--data-dir",
            dirC.toString(),
            "--format",
            "json",
            "--interval",
            "300ms");
    processes.add(top);
    MeshlogProcess.until(
        Duration.ofSeconds(30), () -> lines(out).stream().anyMatch(l -> l.contains("\"node\":")));

    c.destroy(); // SIGTERM: a clean stop, as an operator's restart does
    assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
    MeshlogProcess.until(
        Duration.ofSeconds(30),
        () -> lines(out).stream().anyMatch(l -> l.contains("\"unreachable\":")));
    assertThat(top.isAlive()).as("top goes on while its node is away").isTrue();

    nodeRun("c", "c-again", jmx);
    MeshlogProcess.until(
        Duration.ofSeconds(60),
        () -> {
          List<String> seen = lines(out);
          int lost = firstIndex(seen, "\"unreachable\":");
          return lost >= 0 && firstIndexAfter(seen, lost, "\"node\":") >= 0;
        });
    top.destroy();
    assertThat(top.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(top.exitValue()).as(Files.readString(err)).isZero();

    List<String> seen = lines(out);
    int lost = firstIndex(seen, "\"unreachable\":");
    JsonNode outage = strict.readTree(seen.get(lost));
    assertThat(outage.get("peerId").asText()).isEqualTo(peerC);
    assertThat(outage.get("unreachable").asText()).isNotBlank();
    assertThat(Instant.parse(outage.get("unreachableSince").asText()))
        .isBeforeOrEqualTo(Instant.parse(outage.get("time").asText()));
    JsonNode back = strict.readTree(seen.get(firstIndexAfter(seen, lost, "\"node\":")));
    assertThat(back.get("node").get("peerId").asText()).isEqualTo(peerC);
    // The restarted node's totals begin again: the rates after it come from its own samples.
    assertThat(back.get("journal").get("eventsPerSecond").asDouble()).isNotNegative();
    for (String line : seen) {
      JsonNode o = strict.readTree(line);
      assertThat(o.has("node") != o.has("unreachable")).as(line).isTrue();
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private static int firstIndex(List<String> lines, String part) {
    return firstIndexAfter(lines, -1, part);
  }

  private static int firstIndexAfter(List<String> lines, int after, String part) {
    for (int i = after + 1; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void shouldRedrawALiveScreenInATerminalAndStopOnCtrlC() throws Exception {
    boolean installed = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
    String missing = "tmux is not installed (.ci/run installs it on CI)";
    assertThat(installed || !"true".equals(System.getenv("CI"))).as(missing).isTrue();
    assumeTrue(installed, missing);

    String socket = "meshlog-top-" + ProcessHandle.current().pid();
    Path exit = tmp.resolve("top.exit");
    String command =
        io.meshlog.eventlog.testing.ChildJvm.command(
                    io.meshlog.eventlog.testing.ChildJvm.allFlags(),
                    Main.class,
                    "top",
                    "--data-dir",
                    dirA.toString())
                .stream()
                .map(TopIT::quoted)
                .collect(Collectors.joining(" "))
            + " 2>"
            + quoted(tmp.resolve("top.err").toString())
            + "; echo $? >"
            + quoted(exit.toString());
    // The class path is longer than a tmux command may be: the pane runs a script instead, in
    // bash, which goes on to record the exit status when its child handled the SIGINT itself.
    Path script = tmp.resolve("top.sh");
    Files.writeString(script, command + "\n");
    try {
      tmux(socket, "new-session", "-d", "-s", "top", "-x", "160", "-y", "50", "bash " + script);
      AtomicReference<String> first = new AtomicReference<>();
      MeshlogProcess.until(
          Duration.ofSeconds(30),
          () -> {
            String screen = capture(socket);
            first.set(screen);
            return screen.contains(peerA) && chatRow(screen) && appended(screen) >= 0;
          });
      long before = appended(first.get());
      AtomicReference<String> second = new AtomicReference<>();
      MeshlogProcess.until(
          Duration.ofSeconds(20),
          () -> {
            String screen = capture(socket);
            second.set(screen);
            return appended(screen) > before;
          });
      String screen = second.get();
      assertThat(screen).contains("meshlog top  " + peerA).contains("PEER").contains("TOPIC");
      assertThat(chatRow(screen)).as(screen).isTrue();
      assertThat(screen).as("redrawn in place, not scrolled").containsOnlyOnce("TOPIC");
      assertThat(screen).contains(peerB.substring(0, 12));

      tmux(socket, "send-keys", "-t", "top", "C-c");
      MeshlogProcess.until(
          Duration.ofSeconds(20), () -> Files.exists(exit) && !Files.readString(exit).isBlank());
      assertThat(Files.readString(exit).trim())
          .as(Files.readString(tmp.resolve("top.err")))
          .isEqualTo("0");
    } finally {
      new ProcessBuilder("tmux", "-L", socket, "kill-server")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean chatRow(String screen) {
    return screen.lines().anyMatch(l -> l.matches("chat\\s+\\d+\\s+.*"));
  }

  private static long appended(String screen) {
    Matcher m = APPENDED.matcher(screen);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String capture(String socket) throws Exception {
    Process p =
        new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-t", "top")
            .redirectErrorStream(true)
            .start();
    String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return screen;
  }

  private static void tmux(String socket, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private record Run(int exit, String out, String err) {}

  /** Runs meshlog in this JVM, as a script would from a shell. */
  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The one strict JSON line of {@code top --once --format json} with {@code target}. */
  private JsonNode json(String... target) throws Exception {
    List<String> args = new ArrayList<>(List.of("top", "--once", "--format", "json"));
    args.addAll(List.of(target));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("{").endsWith("}");
    return strict.readTree(lines.get(0));
  }

  private JsonNode once() throws Exception {
    return json("--data-dir", dirA.toString(), "--interval", "500ms");
  }

  private static JsonNode topic(JsonNode o, String name) {
    for (JsonNode t : o.get("topics")) {
      if (t.get("topic").asText().equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static JsonNode peer(JsonNode o, String peerId) {
    for (JsonNode p : o.get("peers")) {
      if (p.get("peerId").asText().equals(peerId)) {
        return p;
      }
    }
    return null;
  }

  private String node(String name, String... extra) throws IOException {
    return nodeRun(name, name, extra);
  }

  /** Starts a node in directory {@code dir}, its output in {@code run}.out and .err. */
  private String nodeRun(String dir, String run, String... extra) throws IOException {
    List<String> args = MeshlogProcess.nodeArgs(tmp.resolve(dir), List.of());
    args.addAll(List.of(extra));
    Path out = tmp.resolve(run + ".out");
    processes.add(
        MeshlogProcess.start(out, tmp.resolve(run + ".err"), args.toArray(String[]::new)));
    return MeshlogProcess.listeningAddress(out, Duration.ofSeconds(60));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
