package io.meshlog.eventlog.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journal on a real, small file system that fills up while events arrive: a child JVM in a mount
 * namespace of its own ({@code unshare -m}) with a 64 MiB tmpfs. The journal must say STORAGE_FULL,
 * count what it could not write, corrupt nothing, and write again once space is freed, without a
 * restart. Needs root (CI runs as root; there a failure to mount fails the test).
 */
class FullDiskTest {
  private static final Pattern RESULT =
      Pattern.compile("RESULT published=(\\d+) written=(\\d+) markers=(\\d+) marked=(\\d+)");
  private static final Pattern COUNTER = Pattern.compile("COUNTER notJournaled=(\\d+)");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"preallocator", "guard"})
  void shouldReportAFullDiskLoseNothingWrittenAndResumeWhenSpaceIsFreed(String mode)
      throws Exception {
    Assumptions.assumeTrue(
        "true".equals(System.getenv("CI")) || "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root");
    List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c"));
    cmd.add("mount -t tmpfs -o size=64m tmpfs \"$0\" && exec \"$@\"");
    cmd.add(tmp.toString());
    List<String> flags = new ArrayList<>(ChildJvm.accessFlags());
    flags.add("-Xmx256m");
    cmd.addAll(ChildJvm.command(flags, FullDiskRun.class, tmp.toString(), mode));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = readAll(child);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    System.out.println(mode + ": " + out); // the figures, in the test's report
    assertThat(child.exitValue()).as(out).isZero();

    assertThat(out).contains("FULL ").contains("RESUMED");
    Matcher r = RESULT.matcher(out);
    Matcher c = COUNTER.matcher(out);
    assertThat(r.find()).as(out).isTrue();
    assertThat(c.find()).as(out).isTrue();
    long published = Long.parseLong(r.group(1));
    long written = Long.parseLong(r.group(2));
    long markers = Long.parseLong(r.group(3));
    long marked = Long.parseLong(r.group(4));
    assertThat(markers).as("EVENTS_NOT_JOURNALED events").isPositive();
    assertThat(marked).as("what the journal says it could not write").isGreaterThanOrEqualTo(500);
    assertThat(marked).as("equals the counter").isEqualTo(Long.parseLong(c.group(1)));
    assertThat(written + marked)
        .as("every event published is written or counted")
        .isEqualTo(published);
  }

  private static String readAll(Process child) throws IOException {
    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
