package io.meshlog.reconciliation.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.disk.Journals;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Directories replay cannot use: a clear message naming the path, or skipped with skipBad. */
@Timeout(60)
class BadInputTest {
  private static final String T = "chat";

  @TempDir Path tmp;

  private NodeJournal healthy(String name, int seed) {
    NodeJournal n = new NodeJournal(tmp.resolve(name), seed);
    n.started(0);
    n.join(1, T);
    n.publish(10, T, seed, 1, 1);
    n.stopped(20);
    return n.write();
  }

  /** A journal whose middle is overwritten with junk, headers included. */
  private Path damaged() throws Exception {
    Path dir = tmp.resolve("damaged");
    NodeJournal id = new NodeJournal(dir, 7);
    try (Journal journal =
        Journals.open(JournalConfig.builder(dir.resolve("journal")).build(), List.of())) {
      journal
          .sink()
          .publish(
              new Event()
                  .type(io.meshlog.eventlog.EventType.NODE_STARTED)
                  .timeNanos(NodeJournal.T0)
                  .peer(id.peer));
      for (int n = 0; n < 1000; n++) {
        journal
            .sink()
            .publish(
                new Event()
                    .type(io.meshlog.eventlog.EventType.JOIN)
                    .timeNanos(NodeJournal.T0 + n)
                    .topic("t-" + n));
      }
    }
    Path file;
    try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
      file = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] head = new byte[4 << 20];
      raf.readFully(head, 0, (int) Math.min(head.length, raf.length()));
      int at = indexOf(head, "t-500".getBytes(StandardCharsets.UTF_8));
      assertThat(at).isPositive();
      raf.seek(at - 64);
      byte[] junk = new byte[512];
      Arrays.fill(junk, (byte) 0x5A);
      raf.write(junk);
    }
    return dir;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void shouldNameADirectoryThatIsNotADataDirectory() throws Exception {
    NodeJournal a = healthy("a", 1);
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Path missing = tmp.resolve("missing");

    assertThatThrownBy(
            () -> ReplayAnalysis.analyze(List.of(a.dataDir, empty), ReplayOptions.defaults()))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("not a meshlog data directory");
    assertThatThrownBy(() -> ReplayAnalysis.analyze(List.of(missing), ReplayOptions.defaults()))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void shouldNameADamagedJournal() throws Exception {
    NodeJournal a = healthy("a", 1);
    Path bad = damaged();

    assertThatThrownBy(
            () -> ReplayAnalysis.analyze(List.of(a.dataDir, bad), ReplayOptions.defaults()))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("damaged journal");
  }

  @Test
  void shouldAnalyseTheOthersWhenSkippingBadInput() throws Exception {
    NodeJournal a = healthy("a", 1);
    NodeJournal b = healthy("b", 2);
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Path bad = damaged();

    ReplayReport r =
        ReplayAnalysis.analyze(
            List.of(empty, a.dataDir, bad, b.dataDir), ReplayOptions.defaults().withSkipBad(true));

    assertThat(r.messages()).hasSize(2);
    assertThat(r.skipped())
        .extracting(ReplayReport.Skipped::dataDir)
        .containsExactly(bad.toString(), empty.toString());
    ReplayReport.Skipped cut = r.skipped().get(0);
    assertThat(cut.reason()).contains("damaged journal");
    assertThat(cut.eventsRead()).isPositive().isLessThan(1001);
  }

  @Test
  void shouldRefuseTheSameNodeTwice() {
    NodeJournal a = healthy("a", 1);

    assertThatThrownBy(
            () -> ReplayAnalysis.analyze(List.of(a.dataDir, a.dataDir), ReplayOptions.defaults()))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("give each node once");
  }
}
