package io.meshlog.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

@Timeout(30)
class NodeCommandTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void shouldExit2NamingAnUnknownKeyInTheConfigFile() throws Exception {
    Path config = tmp.resolve("node.properties");
    Files.writeString(config, "node.topics = chat\ngossipsub.dd = 5\n");

    int code =
        run("node", "--data-dir", tmp.resolve("d").toString(), "--config", config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("gossipsub.dd");
    assertThat(tmp.resolve("d")).doesNotExist();
  }

  @Test
  void shouldExit2NamingADirectoryWithoutAPeerId() {
    int code =
        run(
            "node",
            "--data-dir",
            tmp.resolve("d").toString(),
            "--topic",
            "chat",
            "--directory",
            "/ip4/127.0.0.1/tcp/4001");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("invalid node.directories = /ip4/127.0.0.1/tcp/4001")
        .contains("/p2p/<peer id>");
  }

  @Test
  void shouldExit2NamingAnUnknownRole() {
    int code = run("node", "--data-dir", tmp.resolve("d").toString(), "--role", "sequencer");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("node.role").contains("sequencer");
  }

  @Test
  void shouldExit2NamingABadValue() throws Exception {
    Path config = tmp.resolve("node.properties");
    Files.writeString(config, "gossipsub.d = 5\ngossipsub.dHi = 2\n");

    int code = run("node", "--data-dir", tmp.toString(), "--config", config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("gossipsub.dHi").contains("2");
  }

  @Test
  void shouldAcceptDocumentedKeysAndNameABadOne() throws Exception {
    int code =
        run(
            "node",
            "--data-dir",
            tmp.resolve("d").toString(),
            "--set",
            "jmx.ssl=true",
            "--set",
            "gossipsub.pruneBackoff=30s",
            "--set",
            "gossipsub.unsubscribeBackoff=soon");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .doesNotContain("unknown config key")
        .contains("gossipsub.unsubscribeBackoff")
        .contains("soon");
  }

  @ParameterizedTest
  @CsvSource({
    "jmx.port=4000, 'invalid jmx.passwordFile = null: is required when jmx.port is set'",
    "jmx.port=70000, 'invalid jmx.port = 70000: must be 1..65535 or -1'",
    "jmx.sslNeedClientAuth=true, 'invalid jmx.sslNeedClientAuth = true: needs jmx.ssl = true'",
    "prometheus.port=70000, 'invalid prometheus.port = 70000: must be 0..65535 or -1'"
  })
  void shouldExit2NamingABadJmxSettingOnceBeforeStarting(String setting, String message) {
    int code = run("node", "--data-dir", tmp.resolve("d").toString(), "--set", setting);

    assertThat(code).isEqualTo(2);
    // One check (JmxConfig's) reports the key, with its reason, on one line.
    assertThat(err.toString()).contains(message);
    assertThat(err.toString().lines().filter(l -> l.contains("invalid "))).hasSize(1);
    assertThat(tmp.resolve("d").resolve("journal")).doesNotExist();
  }

  @Test
  void shouldExit2NamingAWorldReadablePasswordFileBeforeStarting() throws Exception {
    Path password = tmp.resolve("jmxremote.password");
    Files.writeString(password, "ops secret\n");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));

    int code =
        run(
            "node",
            "--data-dir",
            tmp.resolve("d").toString(),
            "--set",
            "jmx.port=9010",
            "--set",
            "jmx.passwordFile=" + password);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "invalid jmx.passwordFile = "
                + password
                + ": must be readable by its owner only (chmod 600), has rw-r--r--");
    assertThat(tmp.resolve("d").resolve("journal")).doesNotExist();
  }

  @Test
  void shouldLetFlagsOverrideTheFile() throws Exception {
    Path config = tmp.resolve("node.properties");
    Files.writeString(config, "node.dataDir = " + tmp + "\njmx.port = 70000\n");

    int code =
        run(
            "node",
            "--config",
            config.toString(),
            "--jmx-port",
            "-1",
            "--set",
            "journal.ringSize=3");

    assertThat(code).isEqualTo(2);
    // jmx.port from the file was replaced by the flag; the next bad key is reported instead.
    assertThat(err.toString()).contains("journal.ringSize").doesNotContain("jmx.port");
  }

  @Test
  void shouldExit2WithoutADataDir() {
    assertThat(run("node", "--listen", "/ip4/127.0.0.1/tcp/0")).isEqualTo(2);
    assertThat(err.toString()).contains("node.dataDir");
  }
}
