package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./meshlog} launcher as a new user meets it: on first use it builds, saying so and how
 * long it takes, with no terminal escape codes, and leaves every source file as it was; once built
 * it runs the command at once. The default run checks the built tree; the slow profile builds a
 * fresh clone of the repository.
 */
class LauncherIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The project version from the jar's manifest, never "dev" (a build without one). */
  private static final String VERSION = "meshlog \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?";

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private Run launch(Path root, String... args) throws Exception {
    Path out = tmp.resolve("out-" + System.nanoTime());
    Path err = tmp.resolve("err-" + System.nanoTime());
    ProcessBuilder b =
        new ProcessBuilder(
                concat(List.of("bash", root.resolve("meshlog").toString()), List.of(args)))
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    b.environment().remove("MESHLOG_REBUILD");
    Process p = b.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish within 10 minutes");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  @Test
  @Timeout(120)
  void shouldRunTheCommandAtOnceInABuiltTree() throws Exception {
    Run r = launch(ROOT, "--version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().strip()).matches(VERSION);
    assertThat(r.err()).as("nothing to build: the jar is newer than every source").isEmpty();
  }

  @Test
  @Tag("slow")
  @Timeout(900)
  void shouldBuildAFreshCloneOnFirstUseSayingSoWithoutEscapeCodesOrRewritingSources()
      throws Exception {
    Path clone = tmp.resolve("clone");
    git(ROOT, "clone", "-q", ROOT.toString(), clone.toString());

    Run first = launch(clone, "--version");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out().strip()).matches(VERSION);
    assertThat(first.err())
        .contains("meshlog: building")
        .contains("this takes about a minute")
        .containsPattern("meshlog: built in \\d+ s");
    assertThat(first.out() + first.err()).as("no terminal escape codes").doesNotContain("\u001b");
    assertThat(git(clone, "status", "--porcelain")).as("no source rewritten").isEmpty();

    Run second = launch(clone, "--version");
    assertThat(second.exit()).isZero();
    assertThat(second.out().strip()).matches(VERSION);
    assertThat(second.err()).as("built once: the second run starts at once").isEmpty();
  }

  private String git(Path dir, String... args) throws IOException, InterruptedException {
    Path out = tmp.resolve("git-" + System.nanoTime());
    Process p =
        new ProcessBuilder(concat(List.of("git"), List.of(args)))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("git " + String.join(" ", args) + ": " + text).isZero();
    return text;
  }
}
