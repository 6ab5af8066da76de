package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class DemoIT {

  @TempDir Path tmp;

  @Test
  void shouldRunAMeshWithTrafficAndStopCleanly() throws Exception {
    Path dir = tmp.resolve("demo");
    Process demo =
        MeshlogProcess.start(
            tmp.resolve("demo.out"),
            tmp.resolve("demo.err"),
            "demo",
            "--dir",
            dir.toString(),
            "--duration",
            "10",
            "--chat-rate",
            "5");
    try {
      assertThat(demo.waitFor(150, TimeUnit.SECONDS)).as("demo stops by itself").isTrue();
    } finally {
      demo.destroyForcibly();
    }
    String out = Files.readString(tmp.resolve("demo.out"));
    assertThat(demo.exitValue()).as(out + Files.readString(tmp.resolve("demo.err"))).isZero();
    assertThat(out)
        .contains("service:jmx:rmi:///jndi/rmi://127.0.0.1:")
        .contains("user meshlog  password ")
        .contains("every node stopped cleanly");
    Map<String, Integer> publishedBy = new HashMap<>();
    Map<String, Long> publishedAt = new HashMap<>();
    long[] lastPublish = new long[6];
    List<Set<String>> deliveredAt = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Set<String> delivered = new HashSet<>();
      EventType last = null;
      try (JournalReader r = Journals.openReader(dir.resolve("node" + i).resolve("journal"))) {
        Event e = new Event();
        while (r.next(e.clear()) >= 0) {
          String id = e.messageId() == null ? null : HexFormat.of().formatHex(e.messageId());
          if (e.type() == EventType.PUBLISH_MESSAGE) {
            publishedBy.put(id, i);
            publishedAt.put(id, e.timeNanos());
            lastPublish[i] = Math.max(lastPublish[i], e.timeNanos());
            assertThat(e.lamport()).as("lamport of a published message").isPositive();
          } else if (e.type() == EventType.DELIVER_MESSAGE) {
            assertThat(delivered.add(id)).as("node%d delivers %s once", i, id).isTrue();
            assertThat(e.lamport()).as("lamport of a delivered message").isPositive();
          }
          last = e.type();
        }
      }
      assertThat(last).as("last event of node%d", i).isEqualTo(EventType.NODE_STOPPED);
      deliveredAt.add(delivered);
    }
    assertThat(publishedBy).hasSizeGreaterThan(20);
    // Chat starts on a topic only once every other node is subscribed to it (node.chatMinPeers),
    // so every line must reach every node, except the lines that cross the shutdown: the demo
    // sends SIGTERM to all nodes at once, and a node that closed its router hears nothing more.
    // No node began to stop before the demo said "stopping at", nor before the earliest of the
    // nodes' last publications (all five share this machine's clock): every line published
    // before both instants is owed to every other node.
    Matcher stopping = Pattern.compile("stopping at (\\S+)").matcher(out);
    assertThat(stopping.find()).as(out).isTrue();
    Instant stopAt = Instant.parse(stopping.group(1));
    long shutdownBegan = stopAt.getEpochSecond() * 1_000_000_000L + stopAt.getNano();
    for (int i = 1; i <= 5; i++) {
      if (lastPublish[i] > 0) {
        shutdownBegan = Math.min(shutdownBegan, lastPublish[i]);
      }
    }
    long cut = shutdownBegan;
    for (int i = 1; i <= 5; i++) {
      int node = i;
      List<String> owed =
          publishedBy.entrySet().stream()
              .filter(en -> en.getValue() != node && publishedAt.get(en.getKey()) < cut)
              .map(Map.Entry::getKey)
              .toList();
      assertThat(owed).as("lines owed to node%d", i).isNotEmpty();
      List<String> missing =
          owed.stream().filter(id -> !deliveredAt.get(node - 1).contains(id)).toList();
      assertThat(missing)
          .as("lines of other nodes published before the shutdown, not delivered at node%d", i)
          .isEmpty();
    }
  }
}
