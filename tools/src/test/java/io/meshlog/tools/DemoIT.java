package io.meshlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        ChildJvm.start(
            tmp.resolve("demo.out"),
            tmp.resolve("demo.err"),
            "demo",
            "--dir",
            dir.toString(),
            "--duration",
            "8",
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
    for (int i = 1; i <= 5; i++) {
      long delivered = 0;
      EventType last = null;
      try (JournalReader r = Journal.openReader(dir.resolve("node" + i).resolve("journal"))) {
        Event e = new Event();
        while (r.next(e.clear()) >= 0) {
          delivered += e.type() == EventType.DELIVER_MESSAGE ? 1 : 0;
          last = e.type();
        }
      }
      assertThat(delivered).as("messages delivered at node%d", i).isPositive();
      assertThat(last).as("last event of node%d", i).isEqualTo(EventType.NODE_STOPPED);
    }
  }
}
