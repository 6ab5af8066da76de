package io.meshlog.node.p2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.node.p2p.PeerId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final ConnectionTable table = new ConnectionTable(2);

  @AfterEach
  void closeChannels() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }

  /** A connection whose openness is that of a real (embedded) channel; nothing else is used. */
  private NettyConnection connectionTo(PeerId peer) {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return new NettyConnection(null, ch, null, peer, Direction.INBOUND, null);
  }

  @Test
  void shouldRefuseBeyondMaxConnectionsWithoutATrace() {
    NettyConnection a = connectionTo(alice);
    NettyConnection b = connectionTo(bob);
    NettyConnection third = connectionTo(bob);

    assertThat(table.add(a)).isNull();
    assertThat(table.add(b)).isNull();
    assertThat(table.isFull()).isTrue();
    assertThat(table.add(third)).contains("maxConnections=2");

    assertThat(table.size()).isEqualTo(2);
    assertThat(table.of(bob)).containsExactly(b);
    assertThat(table.all()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void shouldForgetAPeerWhoseLastConnectionIsRemoved() {
    NettyConnection first = connectionTo(alice);
    NettyConnection second = connectionTo(alice);
    table.add(first);
    table.add(second);

    table.remove(first);
    assertThat(table.of(alice)).containsExactly(second);
    assertThat(table.isFull()).isFalse();

    table.remove(second);
    assertThat(table.of(alice)).isEmpty();
    assertThat(table.open(alice)).isEmpty();
    assertThat(table.all()).isEmpty();
    assertThat(table.size()).isZero();
  }

  @Test
  void shouldAnswerWithAnOpenConnectionOnly() {
    NettyConnection closing = connectionTo(alice);
    NettyConnection open = connectionTo(alice);
    table.add(closing);
    table.add(open);

    channels.get(0).close();

    assertThat(table.open(alice)).containsSame(open);
    assertThat(table.open(bob)).isEmpty();
  }
}
