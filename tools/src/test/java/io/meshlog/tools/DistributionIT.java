package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator installs it: unpacked into a directory of its own and run
 * through its {@code bin/meshlog}, with nothing from the build on its class path, a node started
 * with the shipped example config, asked for its health, and stopped with SIGTERM.
 */
@Timeout(180)
class DistributionIT {
  @TempDir Path tmp;

  @Test
  void shouldRunANodeFromTheUnpackedArchive() throws Exception {
    Path archive;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      archive =
          s.filter(p -> p.getFileName().toString().matches("meshlog-.*-dist\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no dist archive in target/: mvn package"));
    }
    Path opt = tmp.resolve("opt");
    Files.createDirectories(opt);
    run(opt, "tar", "-xzf", archive.toAbsolutePath().toString());
    Path home;
    try (Stream<Path> s = Files.list(opt)) {
      home = s.findFirst().orElseThrow();
    }
    assertThat(home.resolve("bin/meshlog")).isExecutable();
    assertThat(home.resolve("conf/meshlog.properties")).exists();
    assertThat(home.resolve("conf/jvm.options")).exists();
    assertThat(home.resolve("systemd/meshlog.service")).exists();
    assertThat(home.resolve("lib/meshlog.jar")).exists();

    Path data = tmp.resolve("var");
    Path out = tmp.resolve("node.out");
    Process node =
        new ProcessBuilder(
                home.resolve("bin/meshlog").toString(),
                "node",
                "--config",
                home.resolve("conf/meshlog.properties").toString(),
                "--data-dir",
                data.toString(),
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
                "--topic",
                "chat",
                "--prometheus-port",
                "0")
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(tmp.resolve("node.err").toFile())
            .start();
    try {
      MeshlogProcess.until(
          Duration.ofSeconds(90), () -> Files.exists(data.resolve("consoles.properties")));
      assertThat(Files.readString(out)).contains("listening /ip4/127.0.0.1/tcp/");

      Process health =
          new ProcessBuilder(
                  home.resolve("bin/meshlog").toString(), "health", "--data-dir", data.toString())
              .directory(tmp.toFile())
              .redirectErrorStream(true)
              .start();
      assertThat(health.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String said = new String(health.getInputStream().readAllBytes());
      assertThat(health.exitValue()).as(said).isZero();
      assertThat(said).isEqualTo("healthy\n");

      node.destroy(); // SIGTERM, as systemd stops it
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).as(Files.readString(tmp.resolve("node.err"))).isZero();
      assertThat(Files.readString(data.resolve("logs/meshlog.log"))).contains("node stopped");
    } finally {
      node.destroyForcibly();
    }
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
  }
}
