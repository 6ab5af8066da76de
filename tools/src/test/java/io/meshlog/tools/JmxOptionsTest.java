package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.jmx.JmxConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JmxOptionsTest {

  @Command(name = "run")
  static final class RunLike implements Runnable {
    @Mixin JmxOptions jmx;

    @Override
    public void run() {}
  }

  private static JmxConfig parse(String... args) {
    RunLike command = new RunLike();
    new CommandLine(command).parseArgs(args);
    return command.jmx.toConfig();
  }

  @Test
  void shouldLeaveEverythingOffByDefault() {
    assertThat(parse()).isEqualTo(JmxConfig.defaults());
  }

  @Test
  void shouldMapEveryOption() {
    JmxConfig c =
        parse(
            "--jmx-port",
            "9010",
            "--jmx-bind",
            "10.0.0.5",
            "--jmx-password-file",
            "/etc/meshlog/jmxremote.password",
            "--jmx-access-file",
            "/etc/meshlog/jmxremote.access",
            "--jmx-ssl",
            "--jmx-ssl-need-client-auth",
            "--prometheus-port",
            "9100",
            "--prometheus-bind",
            "0.0.0.0");
    assertThat(c)
        .isEqualTo(
            new JmxConfig(
                9010,
                "10.0.0.5",
                Path.of("/etc/meshlog/jmxremote.password"),
                Path.of("/etc/meshlog/jmxremote.access"),
                true,
                true,
                9100,
                "0.0.0.0"));
  }

  @Test
  void shouldRefuseAJmxPortWithoutPasswordFileAtStartup() {
    assertThatThrownBy(() -> parse("--jmx-port", "9010").validate())
        .hasMessageContaining("jmx.passwordFile");
  }
}
