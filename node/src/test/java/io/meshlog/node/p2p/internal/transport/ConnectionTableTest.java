package io.meshlog.node.p2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.node.p2p.PeerId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
  private final PeerId alice = PeerId.fromPublicKeyProtobuf(new byte[] {1});
  private final PeerId bob = PeerId.fromPublicKeyProtobuf(new byte[] {2});
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final PeerId self = PeerId.fromPublicKeyProtobuf(new byte[] {3});
  private final ConnectionTable table = new ConnectionTable(self, 2, Duration.ofSeconds(10));

  @AfterEach
  void closeChannels() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }

  /** A connection whose openness is that of a real (embedded) channel; nothing else is used. */
  private NettyConnection connectionTo(PeerId peer) {
    return connectionTo(peer, Direction.INBOUND);
  }

  private NettyConnection connectionTo(PeerId peer, Direction direction) {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return new NettyConnection(null, ch, null, peer, direction, null);
  }

  private NettyConnection announced(NettyConnection c) {
    c.markAnnounced();
    return c;
  }

  @Test
  void shouldRefuseBeyondMaxConnectionsWithoutATrace() {
    NettyConnection a = connectionTo(alice);
    NettyConnection b = connectionTo(bob);
    NettyConnection third = connectionTo(bob);

    assertThat(table.add(a).verdict()).isEqualTo(ConnectionTable.Verdict.ADDED);
    assertThat(table.add(b).verdict()).isEqualTo(ConnectionTable.Verdict.ADDED);
    assertThat(table.isFull()).isTrue();
    ConnectionTable.Admission refused = table.add(third);
    assertThat(refused.verdict()).isEqualTo(ConnectionTable.Verdict.REFUSED);
    assertThat(refused.reason()).contains("maxConnections=2");

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
    NettyConnection closing = announced(connectionTo(alice));
    NettyConnection open = announced(connectionTo(alice));
    table.add(closing);
    table.add(open);

    channels.get(0).close();

    assertThat(table.open(alice)).containsSame(open);
    assertThat(table.open(bob)).isEmpty();
  }

  @Test
  void shouldKeepTheConnectionDialledByTheGreaterPeerIdInEitherOrder() {
    // Both sides of a simultaneous dial, seen from this host: what it dialled and what it accepted.
    for (PeerId remote : List.of(alice, bob)) {
      boolean remoteGreater = ConnectionTable.greater(remote, self);
      for (boolean outboundFirst : new boolean[] {true, false}) {
        ConnectionTable t = new ConnectionTable(self, 8, Duration.ofSeconds(10));
        NettyConnection out = connectionTo(remote, Direction.OUTBOUND);
        NettyConnection in = connectionTo(remote, Direction.INBOUND);
        NettyConnection first = outboundFirst ? out : in;
        NettyConnection second = outboundFirst ? in : out;
        NettyConnection winner = remoteGreater ? in : out;

        assertThat(t.add(first).verdict()).isEqualTo(ConnectionTable.Verdict.ADDED);
        announced(first);
        ConnectionTable.Admission a = t.add(second);

        if (second == winner) {
          assertThat(a.verdict()).isEqualTo(ConnectionTable.Verdict.SUPERSEDES);
          assertThat(a.other()).isSameAs(first);
          assertThat(first.successor()).isSameAs(second);
          assertThat(t.current(remote)).containsSame(second);
          assertThat(t.open(remote)).as("neither is usable until the loser closed").isEmpty();
        } else {
          assertThat(a.verdict()).isEqualTo(ConnectionTable.Verdict.DUPLICATE);
          assertThat(a.other()).isSameAs(first);
          assertThat(t.of(remote)).containsExactly(first);
          assertThat(t.open(remote)).containsSame(first);
        }
        assertThat(a.reason()).contains("greater peer id");
      }
    }
  }

  @Test
  void shouldLetANewConnectionReplaceOneOlderThanTheSimultaneousWindow() {
    ConnectionTable t = new ConnectionTable(self, 8, Duration.ZERO);
    PeerId smaller = ConnectionTable.greater(alice, self) ? null : alice;
    PeerId remote = smaller != null ? smaller : bob;
    // The id rule alone would keep the one this host dialled when self is greater, and the other
    // way round; past the window the newer one wins regardless.
    NettyConnection old = announced(connectionTo(remote, Direction.OUTBOUND));
    NettyConnection fresh = connectionTo(remote, Direction.INBOUND);
    t.add(old);

    ConnectionTable.Admission a = t.add(fresh);

    assertThat(a.verdict()).isEqualTo(ConnectionTable.Verdict.SUPERSEDES);
    assertThat(a.reason()).contains("simultaneous-dial window");
  }

  @Test
  void shouldHoldANewConnectionBackWhileTheLastOneToItsPeerIsClosing() {
    // The last connection's socket closed, and the host has not handled it yet: the new one must
    // neither be judged against it nor be announced beside it.
    NettyConnection closing = announced(connectionTo(alice, Direction.OUTBOUND));
    table.add(closing);
    channels.get(0).close();
    NettyConnection next = connectionTo(alice, Direction.INBOUND);

    ConnectionTable.Admission a = table.add(next);

    assertThat(a.verdict()).isEqualTo(ConnectionTable.Verdict.FOLLOWS);
    assertThat(a.other()).isSameAs(closing);
    assertThat(table.of(alice)).containsExactly(closing);
    assertThat(table.size()).isEqualTo(1);

    table.remove(closing);
    assertThat(table.add(next).verdict()).isEqualTo(ConnectionTable.Verdict.ADDED);
    assertThat(table.of(alice)).containsExactly(next);
  }
}
