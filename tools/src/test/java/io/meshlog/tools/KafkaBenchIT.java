package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.export.testing.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshlog bench kafka} against a real broker on 127.0.0.1 ({@link KafkaTestBroker}): the
 * command checks its own results (every record acknowledged, every live-shipped journal shipped
 * whole, replay from Kafka agreeing with replay from the directories). The default run uses small
 * sizes to prove the command works; the slow one is how the figures of docs/export.md are taken (it
 * prints them): {@code mvn -B -o -pl tools -am verify -Pslow -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KafkaBenchIT
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class KafkaBenchIT {
  private static final Pattern FIGURE =
      Pattern.compile(
          "^(.+): min (-?\\d+) / median (-?\\d+) / max (-?\\d+) (\\S+) \\(runs:((?: -?\\d+)+)\\)",
          Pattern.MULTILINE);

  @TempDir Path tmp;

  @Test
  @Timeout(600)
  void shouldPrintEveryKafkaFigureCheckedBySmallRuns() throws Exception {
    String out =
        bench(
            "--events",
            "20000",
            "--runs",
            "3",
            "--replay-nodes",
            "2",
            "--replay-messages",
            "2000",
            "--gossip-messages",
            "1000",
            "--no-warmup");
    List<String> names = new ArrayList<>();
    Matcher m = FIGURE.matcher(out);
    while (m.find()) {
      names.add(m.group(1));
      assertThat(m.group(6).trim().split(" ")).hasSize(3);
      if (!m.group(5).equals("%")) {
        assertThat(Long.parseLong(m.group(2))).as(m.group()).isPositive();
      }
    }
    assertThat(names)
        .containsExactly(
            "drain, journal -> Kafka",
            "gossip 1 -> 1, journaling",
            "gossip 1 -> 1, journaling + shipping both journals",
            "cost of live shipping on gossip throughput (paired rounds)",
            "replay --data-dir",
            "replay --kafka (read-back + analysis)");
  }

  /** The figures of docs/export.md, at their sizes (minutes): in the slow profile. */
  @Test
  @Tag("slow")
  @Timeout(3600)
  void shouldPrintTheKafkaFiguresAtFullSize() throws Exception {
    String out = bench("--events", "1000000", "--runs", "3");
    System.out.println(out);
    assertThat(FIGURE.matcher(out).results().count()).isEqualTo(6);
  }

  private String bench(String... options) throws Exception {
    try (KafkaTestBroker broker = KafkaTestBroker.start(tmp.resolve("kafka"))) {
      List<String> args = new ArrayList<>(List.of("bench", "kafka", "--kafka", broker.bootstrap()));
      args.addAll(List.of("--data-dir", tmp.toString()));
      args.addAll(List.of(options));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args.toArray(String[]::new));
      assertThat(exit).as(err.toString()).isZero();
      return out.toString();
    }
  }
}
