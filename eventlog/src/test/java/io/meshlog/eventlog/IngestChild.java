package io.meshlog.eventlog;

import io.meshlog.eventlog.disk.EventLog;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A child process for {@code EventLogKillIT}: opens an event log and publishes a gossip-like stream
 * from two threads as fast as it can, printing the applied index every 50 ms, until it is killed.
 */
public final class IngestChild {

  private IngestChild() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    EventLog log = EventLog.open(dataDir, Map.of("journal.ringSize", "4096"));
    System.out.println("opened applied=" + log.appliedIndex());
    for (int t = 0; t < 2; t++) {
      int thread = t;
      Thread producer = new Thread(() -> produce(log.sink(), thread), "producer-" + t);
      producer.setDaemon(true);
      producer.start();
    }
    while (true) {
      System.out.println("applied=" + log.appliedIndex() + " lag=" + log.lag());
      Thread.sleep(50);
    }
  }

  private static void produce(EventSink sink, int thread) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Event e = new Event();
    long n = 0;
    EventType[] kinds = {
      EventType.DELIVER_MESSAGE,
      EventType.PUBLISH_MESSAGE,
      EventType.DUPLICATE_MESSAGE,
      EventType.RECV_RPC,
      EventType.SEND_RPC,
      EventType.PING_RTT,
      EventType.CONNECTION_OPENED,
      EventType.CONNECTION_CLOSED,
      EventType.REJECT_MESSAGE,
      EventType.GRAFT
    };
    while (true) {
      n++;
      EventType type = kinds[random.nextInt(kinds.length)];
      byte[] peer = new byte[38];
      peer[1] = 36;
      peer[37] = (byte) random.nextInt(40);
      String topic = "/kill-it/" + random.nextInt(4);
      long now = System.currentTimeMillis() * 1_000_000L;
      e.clear().type(type).timeNanos(now).peer(peer);
      switch (type) {
        case DELIVER_MESSAGE:
        case PUBLISH_MESSAGE:
          byte[] id = new byte[16];
          random.nextBytes(id);
          e.topic(topic)
              .messageId(id)
              .origin(peer)
              .originSeqno(n)
              .lamport(n / 2 + thread)
              .data(new byte[128])
              .value(now - random.nextInt(50_000_000));
          break;
        case DUPLICATE_MESSAGE:
        case REJECT_MESSAGE:
        case GRAFT:
          e.topic(topic);
          break;
        default:
          e.size(random.nextInt(2000)).value(random.nextInt(1_000_000));
          break;
      }
      sink.publish(e);
    }
  }
}
