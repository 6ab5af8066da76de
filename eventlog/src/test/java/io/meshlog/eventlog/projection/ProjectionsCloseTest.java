package io.meshlog.eventlog.projection;

import static io.meshlog.eventlog.projection.Events.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.EventType;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views read on other threads (the JMX sampler, tools) than the one that closes the projections. A
 * view racing close must end in "projections closed", never in a read of freed RocksDB handles,
 * which crashes the JVM in native code.
 */
@Timeout(120)
class ProjectionsCloseTest {
  @TempDir Path tmp;

  @Test
  void shouldRefuseNotCrashAViewThatRacesClose() throws Exception {
    MemoryJournal journal = new MemoryJournal();
    for (int i = 0; i < 200; i++) {
      journal.append(message(EventType.DELIVER_MESSAGE, 10 + i, "topic-" + (i % 20), 1, i, i));
    }
    for (int round = 0; round < 50; round++) {
      Projections p = Projections.open(tmp.resolve("p" + round), ProjectionConfig.defaults());
      journal.feed(p, 0, journal.lastIndex(), 64);
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      AtomicLong reads = new AtomicLong();
      CountDownLatch reading = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (true) {
                    assertThat(p.topics()).hasSize(20);
                    assertThat(p.topic("topic-3")).isPresent();
                    reads.incrementAndGet();
                    reading.countDown();
                  }
                } catch (IllegalStateException e) {
                  if (!e.getMessage().startsWith("projections closed")) {
                    unexpected.set(e);
                  }
                } catch (Throwable t) {
                  unexpected.set(t);
                } finally {
                  reading.countDown();
                }
              },
              "projections-reader-" + round);
      reader.start();
      reading.await();
      p.close();
      reader.join(10_000);
      assertThat(reader.isAlive()).as("reader ends once the projections are closed").isFalse();
      assertThat(unexpected.get()).isNull();
      assertThat(reads.get()).isPositive();
    }
  }
}
