package io.meshlog.node;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes chat-like lines ({@code "<name> #<n>: <words>"}) at a fixed rate, taking the node's
 * topics in turn: traffic for demos and soak runs ({@code node.chatRate}). A topic's turn is
 * skipped while it has no mesh peers, or fewer subscribed peers than {@code node.chatMinPeers}:
 * gossipsub does not store and forward, so a line published before a peer joined would never reach
 * it and show up in replays as lost at that peer. One daemon thread.
 */
final class ChatDriver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChatDriver.class);

  private static final String[] WORDS = {
    "hello", "mesh", "anyone", "seen", "the", "journal", "lamport", "says", "order", "ok", "gossip",
    "ping", "late", "again", "thanks"
  };

  private final ScheduledExecutorService timer;
  private final List<String> topics;
  private final String name;
  private final BiConsumer<String, byte[]> publish;
  private final Predicate<String> ready;
  private long turn;
  private long count;

  ChatDriver(
      double rate,
      List<String> topics,
      String name,
      Predicate<String> ready,
      BiConsumer<String, byte[]> publish) {
    this.topics = List.copyOf(topics);
    this.ready = ready;
    this.name = name;
    this.publish = publish;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-chat");
              t.setDaemon(true);
              return t;
            });
    long periodMicros = Math.max(100, (long) (1_000_000 / rate));
    timer.scheduleAtFixedRate(this::send, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void send() {
    // Loop boundary: one failed publish (no peers yet, say) must not end the traffic.
    try {
      String topic = topics.get((int) (turn++ % topics.size()));
      if (!ready.test(topic)) {
        return;
      }
      long n = count++;
      StringBuilder line = new StringBuilder(name).append(" #").append(n).append(':');
      for (int i = 0; i < 3; i++) {
        line.append(' ').append(WORDS[(int) ((n * 7 + i * 3) % WORDS.length)]);
      }
      publish.accept(topic, line.toString().getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.debug("chat publish failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
