package io.meshlog.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay analysis of 10 journals fits a 512 MiB heap: the journals are written here (the
 * benchmark's healthy run, 5 events per message per journal), and a child JVM started with {@code
 * -Xmx512m} analyses them and reports what it found and the heap it kept (after a full collection,
 * holding the report). The default run uses 10 x 100k events and also bounds the kept heap, so that
 * holding anything per event fails it; the slow one is the 10 x 1M events.
 */
class ReplayHeapIT {
  private static final int JOURNALS = 10;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void shouldAnalyseTenJournalsOfHundredThousandEventsInASmallPartOfA512MiBHeap() throws Exception {
    long[] r = analyseInChild(20_000);
    // 200k deliveries held per (message, node) need a few MiB; per-event state would need more.
    assertThat(r[5]).as("heap kept after the analysis, bytes").isLessThan(48L << 20);
  }

  @Test
  @Tag("slow")
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void shouldAnalyseTenJournalsOfAMillionEventsWithin512MiB() throws Exception {
    long[] r = analyseInChild(200_000);
    assertThat(r[5]).as("heap kept after the analysis, bytes").isLessThan(512L << 20);
  }

  /** Writes 10 journals of {@code messages} messages, analyses them in a child; its RESULT line. */
  private long[] analyseInChild(int messages) throws Exception {
    List<Path> dirs = ReplayBenchmark.write(tmp, JOURNALS, messages);
    List<String> flags = new ArrayList<>(ChildJvm.accessFlags());
    flags.add("-Xmx512m");
    flags.add("-XX:+ExitOnOutOfMemoryError");
    List<String> args = new ArrayList<>();
    for (Path d : dirs) {
      args.add(d.toString());
    }
    Process child =
        new ProcessBuilder(ChildJvm.command(flags, ReplayHeapChild.class.getName(), args))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String result = null;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = line;
        }
      }
    } finally {
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    assertThat(child.exitValue()).as("child exit (non-zero: out of memory or failed)").isZero();
    assertThat(result).as("the child's RESULT line").isNotNull();
    String[] f = result.split(" ");
    long[] r = new long[f.length - 1];
    for (int i = 1; i < f.length; i++) {
      r[i - 1] = Long.parseLong(f[i]);
    }
    assertThat(r[0]).as("events").isEqualTo(ReplayBenchmark.events(JOURNALS, messages));
    assertThat(r[1]).as("messages").isEqualTo(messages);
    assertThat(r[2]).as("deliveries").isEqualTo((long) messages * JOURNALS);
    assertThat(r[3]).as("duplicate receipts").isEqualTo((long) messages * JOURNALS);
    assertThat(r[4]).as("anomalies").isZero();
    assertThat(r[6]).as("the child's heap limit").isLessThanOrEqualTo(512L << 20);
    System.out.printf(
        "replay of %d journals x %d messages under -Xmx512m: kept %.1f MiB%n",
        JOURNALS, messages, r[5] / (1024.0 * 1024.0));
    return r;
  }
}
