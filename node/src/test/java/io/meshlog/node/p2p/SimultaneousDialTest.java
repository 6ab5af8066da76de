package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.factory.Hosts;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two real hosts on 127.0.0.1 that dial each other at the same moment, 50 times over. */
@Timeout(300)
class SimultaneousDialTest {
  private static final int ROUNDS = 50;

  private final RecordingEventSink aEvents = new RecordingEventSink();
  private final RecordingEventSink bEvents = new RecordingEventSink();
  // Both hosts' connection events in the order they happened, to read when an assertion fails.
  private final List<String> trail = new CopyOnWriteArrayList<>();
  private final Host a = Hosts.start(HostConfig.defaults(), Identity.generate(), tee("a", aEvents));
  private final Host b = Hosts.start(HostConfig.defaults(), Identity.generate(), tee("b", bEvents));

  /** Opened minus closed as the host's listeners heard it, and the most ever at once. */
  private static final class Seen implements ConnectionListener {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public void onOpened(Connection connection) {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    @Override
    public void onClosed(Connection connection, String reason) {
      now.decrementAndGet();
    }
  }

  private final Seen aSeen = new Seen();
  private final Seen bSeen = new Seen();

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  @Test
  void shouldKeepExactlyOneConnectionBothSidesAgreeOnWhenTwoNodesDialEachOtherAtOnce()
      throws Exception {
    a.addConnectionListener(aSeen);
    b.addConnectionListener(bSeen);
    boolean aGreater = Arrays.compareUnsigned(a.peerId().bytes(), b.peerId().bytes()) > 0;
    Direction keptAtA = aGreater ? Direction.OUTBOUND : Direction.INBOUND;
    Direction keptAtB = aGreater ? Direction.INBOUND : Direction.OUTBOUND;

    int races = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int duplicatesBefore = duplicates();
      trail.add("round " + round);
      CyclicBarrier together = new CyclicBarrier(2);
      CompletableFuture<Connection> fromA = dialAt(together, a, b);
      CompletableFuture<Connection> fromB = dialAt(together, b, a);
      Connection ca = fromA.get(20, TimeUnit.SECONDS);
      Connection cb = fromB.get(20, TimeUnit.SECONDS);

      // Both dials are done, but the side that registers the losing connection last may still be
      // closing it: the snapshot waits until both sides hold one announced connection and it is
      // the same one, dialled by one side and accepted by the other.
      Await.until(
          "round " + round + ": both sides settled on one connection",
          Duration.ofSeconds(20),
          this::settled);
      int r = round;
      ConnectionInfo atA = a.connections().get(0);
      ConnectionInfo atB = b.connections().get(0);
      if (duplicates() > duplicatesBefore) {
        // Both dials made a connection (they were in flight at once): the rule picked, and both
        // sides picked the same one.
        races++;
        assertThat(atA.direction()).as(() -> "round " + r + " at a\n" + trail()).isEqualTo(keptAtA);
        assertThat(atB.direction()).as(() -> "round " + r + " at b\n" + trail()).isEqualTo(keptAtB);
        assertThat(aGreater ? atA.remoteAddress() : atB.remoteAddress())
            .isEqualTo((aGreater ? b : a).listenAddresses().get(0).withoutPeerId());
      } // else one dial found the other's connection already there: no race this round
      // Both dials succeeded (one may have answered with a connection the rule closed since: a
      // dial completes when its connection is announced), and the survivor carries streams.
      assertThat(ca.remotePeer()).isEqualTo(b.peerId());
      assertThat(cb.remotePeer()).isEqualTo(a.peerId());
      assertThat(a.ping(b.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
      assertThat(b.ping(a.peerId()).get(10, TimeUnit.SECONDS)).isPositive();

      trail.add("round " + round + " settled; a disconnects");
      a.disconnect(b.peerId()).get(10, TimeUnit.SECONDS);
      Await.until(
          "round " + round + ": both sides disconnected",
          Duration.ofSeconds(20),
          () -> a.connections().isEmpty() && b.connections().isEmpty());
    }

    // Most rounds were real races, not one dial finding the other's connection.
    assertThat(races).as("rounds in which both dials made a connection").isGreaterThan(ROUNDS / 2);
    // Every connection either survived or lost to the rule: none failed on the way.
    assertThat(aEvents.texts(EventType.CONNECTION_FAILED)).as(this::trail).isEmpty();
    assertThat(bEvents.texts(EventType.CONNECTION_FAILED)).as(this::trail).isEmpty();
    // No listener (gossip, discovery) ever saw two connections to the other peer at once.
    assertThat(aSeen.most.get()).isEqualTo(1);
    assertThat(bSeen.most.get()).isEqualTo(1);
    // The race was real, and each closed loser is journaled with the rule's reason.
    int duplicates =
        aEvents.ofType(EventType.CONNECTION_DUPLICATE).size()
            + bEvents.ofType(EventType.CONNECTION_DUPLICATE).size();
    assertThat(duplicates).isPositive();
    assertThat(aEvents.texts(EventType.CONNECTION_DUPLICATE))
        .allSatisfy(t -> assertThat(t).startsWith("duplicate: kept the"));
    assertThat(a.counter(TransportCounter.CONNECTIONS_DUPLICATE))
        .isEqualTo(aEvents.ofType(EventType.CONNECTION_DUPLICATE).size());
    // Every open the journal shows was closed again: no connection was announced twice.
    assertThat(aEvents.ofType(EventType.CONNECTION_OPENED))
        .hasSameSizeAs(aEvents.ofType(EventType.CONNECTION_CLOSED));
  }

  /** One announced connection on each side, the same one: dialled by one, accepted by the other. */
  private boolean settled() {
    List<ConnectionInfo> atA = a.connections();
    List<ConnectionInfo> atB = b.connections();
    return atA.size() == 1
        && atB.size() == 1
        && atA.get(0).direction() != atB.get(0).direction()
        && a.connection(b.peerId()).isPresent()
        && b.connection(a.peerId()).isPresent();
  }

  private EventSink tee(String side, RecordingEventSink sink) {
    return e -> {
      sink.publish(e);
      if (e.type().name().startsWith("CONNECTION_")) {
        trail.add(side + " " + e.type() + " " + e.direction() + " " + e.text());
      }
    };
  }

  private String trail() {
    return String.join("\n", trail);
  }

  private int duplicates() {
    return aEvents.ofType(EventType.CONNECTION_DUPLICATE).size()
        + bEvents.ofType(EventType.CONNECTION_DUPLICATE).size();
  }

  private static CompletableFuture<Connection> dialAt(CyclicBarrier together, Host from, Host to) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                together.await(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return to.listenAddresses().get(0);
            })
        .thenCompose(from::dial);
  }
}
