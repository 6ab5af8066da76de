package io.meshlog.node.gossipsub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventCodec;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.RpcPart;
import io.meshlog.eventlog.Via;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.node.gossipsub.EnvelopeInspector;
import io.meshlog.node.gossipsub.GossipCounter;
import io.meshlog.node.gossipsub.internal.rpc.Rpc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the tracer journals for RPCs and deliveries, read back through the journal's codec. */
@Timeout(10)
class GossipTracerTest {
  private final List<Event> journaled = new ArrayList<>();
  private final EventCodec codec = new EventCodec();

  private final GossipTracer tracer =
      new GossipTracer(
          this::journal,
          EnvelopeInspector.NONE,
          CounterSet.of(GossipCounter.class),
          m -> {
            if (m.seqno() == null) {
              throw new IllegalArgumentException("no seqno");
            }
            return m.seqno().clone();
          });

  /** Encodes and decodes each event, as the journal and a reader would. */
  private void journal(Event e) {
    int len = codec.encode(e);
    Event back = new Event();
    codec.decode(Arrays.copyOf(codec.buffer(), len), 0, len, back);
    journaled.add(back);
  }

  private static byte[] id(int n) {
    return new byte[] {0, 0, 0, (byte) n};
  }

  @Test
  void shouldCountEveryPartAndListPublishIhaveIwantIdsInAnRpcRecord() {
    Rpc rpc =
        new Rpc(
            List.of(new Rpc.SubOpts(true, "chat")),
            List.of(
                new Rpc.PubMessage(null, new byte[1], id(1), "chat", null, null),
                new Rpc.PubMessage(null, new byte[1], null, "chat", null, null)),
            new Rpc.Control(
                List.of(
                    new Rpc.IHave("chat", List.of(id(2), id(3))),
                    new Rpc.IHave("news", List.of(id(4)))),
                List.of(new Rpc.IWant(List.of(id(5)))),
                List.of(new Rpc.Graft("chat")),
                List.of(new Rpc.Prune("news", List.of(), 60), new Rpc.Prune("old", List.of(), 0)),
                List.of(new Rpc.IDontWant(List.of(id(6), id(7), id(8))))));
    tracer.time(77);
    tracer.rpc(EventType.SEND_RPC, new byte[] {9}, 321, rpc);

    Event e = journaled.get(0);
    assertThat(e.type()).isEqualTo(EventType.SEND_RPC);
    assertThat(e.timeNanos()).isEqualTo(77);
    assertThat(e.size()).isEqualTo(321);
    assertThat(e.text()).isNull();
    assertThat(e.rpcCount(RpcPart.PUBLISH)).isEqualTo(2);
    assertThat(e.rpcCount(RpcPart.IHAVE)).isEqualTo(3);
    assertThat(e.rpcCount(RpcPart.IWANT)).isEqualTo(1);
    assertThat(e.rpcCount(RpcPart.GRAFT)).isEqualTo(1);
    assertThat(e.rpcCount(RpcPart.PRUNE)).isEqualTo(2);
    assertThat(e.rpcCount(RpcPart.IDONTWANT)).isEqualTo(3);
    // The second publish has no id (the function refused it): counted, not listed.
    assertThat(e.rpcIdCount()).isEqualTo(5);
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < e.rpcIdCount(); i++) {
      listed.add(e.rpcIdPart(i).label() + ":" + e.rpcId(i)[3]);
    }
    assertThat(listed).containsExactly("publish:1", "ihave:2", "ihave:3", "ihave:4", "iwant:5");
  }

  @Test
  void shouldCountALargeIhaveInFullAndListItUpToTheBound() {
    List<byte[]> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(id(i));
    }
    Rpc rpc =
        new Rpc(
            List.of(),
            List.of(),
            new Rpc.Control(
                List.of(new Rpc.IHave("chat", ids)), List.of(), List.of(), List.of(), List.of()));
    tracer.rpc(EventType.RECV_RPC, new byte[] {9}, 20_000, rpc);
    Event e = journaled.get(0);
    assertThat(e.rpcCount(RpcPart.IHAVE)).isEqualTo(500);
    assertThat(e.rpcIdCount()).isEqualTo(Event.MAX_RPC_IDS);
  }

  @Test
  void shouldRecordTheForwarderAndTheRouteOfADelivery() {
    tracer.deliverMessage(
        new byte[] {4, 2},
        "chat",
        id(1),
        new Rpc.PubMessage(new byte[] {1}, new byte[] {'x'}, id(1), "chat", null, null),
        Via.IWANT);
    Event e = journaled.get(0);
    assertThat(e.type()).isEqualTo(EventType.DELIVER_MESSAGE);
    assertThat(e.peer()).containsExactly(4, 2);
    assertThat(e.via()).isEqualTo(Via.IWANT);
    assertThat(e.originSeqno()).isEqualTo(1);
  }
}
