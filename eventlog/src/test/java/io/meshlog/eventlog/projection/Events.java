package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.util.Random;

/** Builders of test events and a seeded random journal with every event type. */
final class Events {

  private Events() {}

  static byte[] peer(int n) {
    byte[] id = new byte[38];
    id[0] = 0;
    id[1] = 36;
    id[37] = (byte) n;
    id[36] = (byte) (n >> 8);
    return id;
  }

  static Event of(EventType type, long time) {
    return new Event().type(type).timeNanos(time);
  }

  static Event message(
      EventType type, long time, String topic, long lamport, int origin, long seq) {
    return of(type, time)
        .topic(topic)
        .lamport(lamport)
        .origin(peer(origin))
        .originSeqno(seq)
        .messageId(("m-" + origin + "-" + seq).getBytes())
        .data(new byte[100]);
  }

  /** A journal of {@code count} events of every type over a few peers and topics. */
  static MemoryJournal randomJournal(long seed, int count) {
    Random r = new Random(seed);
    MemoryJournal journal = new MemoryJournal();
    EventType[] types = EventType.values();
    long time = 1_000_000_000L;
    for (int i = 0; i < count; i++) {
      time += r.nextInt(5000);
      EventType type = types[r.nextInt(types.length)];
      Event e = of(type, time).peer(peer(r.nextInt(20))).direction(Direction.INBOUND);
      String topic = "t" + r.nextInt(5);
      switch (type) {
        case PUBLISH_MESSAGE:
        case DELIVER_MESSAGE:
          e = message(type, time, topic, r.nextInt(1000), r.nextInt(20), i);
          if (type == EventType.DELIVER_MESSAGE) {
            e.peer(peer(r.nextInt(20))).value(time - r.nextInt(10_000_000) + 100_000);
          }
          break;
        case RECV_RPC:
        case SEND_RPC:
          e.size(r.nextInt(2000));
          break;
        case PING_RTT:
          e.value(r.nextInt(1_000_000));
          break;
        default:
          e.topic(topic).messageId(new byte[] {(byte) i});
          break;
      }
      journal.append(e);
    }
    return journal;
  }
}
