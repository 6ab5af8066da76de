package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.disk.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replays of the same journals in separate JVMs, their flags in different orders, print the
 * same bytes (JSON lines, explain) and write the same page. The journals are written through the
 * real journal from a seeded random schedule: 4 nodes, 3 publishers, 60 messages on two topics,
 * deliveries shuffled a little (inversions), some dropped (lost), equal times across nodes (the
 * merge's tie-break).
 */
@Timeout(180)
class ReplayDeterminismIT {
  private static final long T0 = 1_763_750_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String[] TOPICS = {"chat", "news"};

  @TempDir Path tmp;

  private final List<Path> dirs = new ArrayList<>();

  private static byte[] peer(int seed) {
    byte[] id = new byte[38];
    id[1] = 36;
    id[2] = 8;
    id[3] = 1;
    id[4] = 18;
    id[5] = 32;
    for (int i = 6; i < id.length; i++) {
      id[i] = (byte) (seed * 31 + i * 7);
    }
    return id;
  }

  @BeforeEach
  void writeJournals() {
    int nodes = 4;
    Random random = new Random(42);
    List<List<Event>> events = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      List<Event> list = new ArrayList<>();
      list.add(new Event().type(EventType.NODE_STARTED).peer(peer(n)).text("t").timeNanos(T0));
      for (String t : TOPICS) {
        list.add(new Event().type(EventType.JOIN).topic(t).timeNanos(T0 + MS));
        for (int o = 0; o < nodes; o++) {
          if (o != n) {
            list.add(
                new Event()
                    .type(EventType.GRAFT)
                    .topic(t)
                    .peer(peer(o))
                    .direction(Direction.OUTBOUND)
                    .timeNanos(T0 + 2 * MS));
          }
        }
      }
      events.add(list);
    }
    long[] seqno = new long[3];
    for (int m = 0; m < 60; m++) {
      int origin = m % 3;
      String topic = TOPICS[random.nextInt(2)];
      long at = T0 + (10 + m * 5L) * MS;
      byte[] id = {(byte) 0xCD, (byte) m};
      Event pub =
          new Event()
              .type(EventType.PUBLISH_MESSAGE)
              .topic(topic)
              .messageId(id)
              .origin(peer(origin))
              .originSeqno(++seqno[origin])
              .lamport(m + 1)
              .data(new byte[] {1})
              .size(1)
              .timeNanos(at);
      events.get(origin).add(pub);
      for (int n = 0; n < nodes; n++) {
        if (n == origin || random.nextInt(20) == 0) {
          continue; // the origin published it; one delivery in 20 never happens
        }
        long delay = random.nextInt(4) == 0 ? random.nextInt(12) : 1; // equal times are common
        events
            .get(n)
            .add(
                new Event()
                    .copyFrom(pub)
                    .type(EventType.DELIVER_MESSAGE)
                    .peer(peer(origin))
                    .via(Via.MESH)
                    .timeNanos(at + delay * MS));
      }
    }
    for (int n = 0; n < nodes; n++) {
      List<Event> list = events.get(n);
      list.sort((x, y) -> Long.compare(x.timeNanos(), y.timeNanos()));
      list.add(new Event().type(EventType.NODE_STOPPED).text("close").timeNanos(T0 + 5000 * MS));
      Path dir = tmp.resolve("node-" + n);
      try (Journal j =
          Journals.open(
              JournalConfig.builder(dir.resolve("journal"))
                  .ringSize(64)
                  .preallocateBytes(0)
                  .build(),
              List.of())) {
        for (Event e : list) {
          j.sink().publish(e);
        }
      }
      dirs.add(dir);
    }
  }

  private byte[] replay(String name, List<String> args) throws Exception {
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    Process p = MeshlogProcess.start(out, err, args.toArray(String[]::new));
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return Files.readAllBytes(out);
  }

  private List<String> dataDirs(List<Path> order) {
    List<String> args = new ArrayList<>();
    for (Path d : order) {
      args.add("--data-dir");
      args.add(d.toString());
    }
    return args;
  }

  @Test
  void shouldPrintIdenticalBytesInSeparateJvmsWhateverTheFlagOrder() throws Exception {
    List<Path> reversed = new ArrayList<>(dirs);
    Collections.reverse(reversed);
    List<Path> shuffled = new ArrayList<>(dirs);
    Collections.shuffle(shuffled, new Random(7));

    List<String> one = new ArrayList<>(List.of("replay", "--format", "json"));
    one.addAll(dataDirs(dirs));
    one.addAll(List.of("--late-after", "5ms", "--html", tmp.resolve("one.html").toString()));
    List<String> two =
        new ArrayList<>(List.of("replay", "--html", tmp.resolve("two.html").toString()));
    two.addAll(List.of("--late-after", "PT0.005S"));
    two.addAll(dataDirs(reversed));
    two.addAll(List.of("--format", "json"));

    byte[] first = replay("one", one);
    byte[] second = replay("two", two);
    assertThat(new String(first)).contains("\"kind\":\"anomaly\""); // something to disagree on
    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(tmp.resolve("two.html")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("one.html")));

    // text: the same writer over the same report; in one JVM in ReplayCommandTest
    List<String> explain1 =
        new ArrayList<>(List.of("replay", "explain", "cd07", "--format", "json"));
    explain1.addAll(dataDirs(dirs));
    List<String> explain2 = new ArrayList<>(List.of("replay", "explain"));
    explain2.addAll(dataDirs(shuffled));
    explain2.addAll(List.of("--format", "json", "cd07"));
    assertThat(replay("explain2", explain2)).isEqualTo(replay("explain1", explain1));
  }
}
