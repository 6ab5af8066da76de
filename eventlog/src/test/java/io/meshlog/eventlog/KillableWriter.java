package io.meshlog.eventlog;

import io.meshlog.eventlog.disk.Journals;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link JournalKillIT}: publishes events from two threads forever and prints "ACK
 * seq index producer n" for every event a gated handler sees, i.e. once it is journaled.
 */
public final class KillableWriter {
  private KillableWriter() {}

  static byte[] payload(long producer, long n) {
    return ("p" + producer + "-" + n + "-" + "x".repeat((int) (n % 97)))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
    JournaledEventHandler acker =
        (e, index, endOfBatch) -> {
          out.write("ACK " + e.sequence() + " " + index + " " + e.value() + " " + e.originSeqno());
          out.newLine();
          if (endOfBatch) {
            out.flush();
          }
        };
    JournalConfig config = JournalConfig.builder(Path.of(args[0])).ringSize(4096).build();
    Journal journal = Journals.open(config, List.of(acker));
    for (int p = 0; p < 2; p++) {
      long producer = p;
      Thread t =
          new Thread(
              () -> {
                Event e = new Event();
                for (long n = 0; ; n++) {
                  e.clear()
                      .type(EventType.DELIVER_MESSAGE)
                      .topic("kill-test")
                      .value(producer)
                      .originSeqno(n)
                      .data(payload(producer, n));
                  journal.sink().publish(e);
                  if (n % 64 == 0) {
                    Thread.onSpinWait();
                  }
                }
              });
      t.start();
    }
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
