package io.meshlog.node.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.ConnectionInfo;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamListener;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.p2p.factory.Hosts;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** meshlog's Host against a real js-libp2p peer, both directions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaJsInteropIT {
  private static final String ECHO = "/meshlog/echo/1.0.0";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension final JsPeers js = new JsPeers();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private Host host;

  @BeforeEach
  void start() {
    EventSink sink = e -> events.add(new Event().copyFrom(e));
    host =
        Hosts.start(
            HostConfig.builder().pingInterval(Duration.ofSeconds(5)).build(),
            Identity.generate(),
            sink);
    host.handle(
        ECHO,
        stream ->
            stream.setListener(
                new StreamListener() {
                  @Override
                  public void onData(ProtocolStream s, ByteBuffer data) {
                    s.write(data);
                  }

                  @Override
                  public void onRemoteClose(ProtocolStream s) {
                    s.closeWrite();
                  }
                }));
  }

  @AfterEach
  void stop() {
    host.close();
  }

  @Test
  void shouldIdentifyPingAndEchoManyStreamsWhenJavaDialsJs() throws Exception {
    JsPeer peer = js.start();
    PeerId jsId = PeerId.parse(peer.peerId());

    Connection c = host.dial(Multiaddr.parse(peer.addr())).get(15, TimeUnit.SECONDS);
    assertThat(c.remotePeer()).isEqualTo(jsId);

    // What we learned about js.
    await(() -> c.info().agentVersion() != null);
    ConnectionInfo info = c.info();
    assertThat(info.agentVersion()).startsWith("js-libp2p/");
    assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", ECHO);
    assertThat(info.listenAddresses())
        .extracting(Multiaddr::toString)
        .contains(peer.addr().substring(0, peer.addr().indexOf("/p2p/")));
    // the connection learns the agent a step before the event is journaled: wait for it
    await(() -> events.stream().anyMatch(e -> e.type() == EventType.IDENTIFY_RECEIVED));

    // What js learned about us.
    peer.awaitEvent(JsPeer.event("peer:identify", "peer", host.peerId().toBase58()), WAIT);
    JsonNode about = peer.command("peerInfo", Map.of("peer", host.peerId().toBase58()));
    assertThat(about.path("agentVersion").asText()).startsWith("meshlog/");
    assertThat(about.path("protocolVersion").asText()).isEqualTo("ipfs/0.1.0");
    assertThat(texts(about.path("protocols"))).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", ECHO);
    String ours = host.listenAddresses().get(0).withoutPeerId().toString();
    assertThat(
            StreamSupport.stream(about.path("addresses").spliterator(), false)
                .map(a -> a.path("addr").asText()))
        .contains(ours);

    // Ping both ways.
    assertThat(host.ping(jsId).get(10, TimeUnit.SECONDS)).isPositive();
    assertThat(peer.ping(host.peerId().toBase58())).isGreaterThanOrEqualTo(0.0);

    // Many concurrent streams, each echoing its own 64 KiB.
    int streams = 64;
    List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    Random random = new Random(9);
    for (int i = 0; i < streams; i++) {
      byte[] data = new byte[64 * 1024];
      random.nextBytes(data);
      sent.add(data);
      echoes.add(echo(c, data));
    }
    for (int i = 0; i < streams; i++) {
      assertThat(echoes.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(sent.get(i));
    }
  }

  @Test
  void shouldEchoLargeParallelStreamsAndPingWhenJsDialsJava() throws Exception {
    JsPeer peer = js.start();
    JsonNode conn = peer.dial(host.listenAddresses().get(0).toString());
    assertThat(conn.path("encryption").asText()).isEqualTo("/noise");
    assertThat(conn.path("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
    PeerId jsId = PeerId.parse(peer.peerId());
    await(() -> host.connection(jsId).isPresent());
    assertThat(host.connection(jsId).orElseThrow().info().direction()).isEqualTo(Direction.INBOUND);

    JsonNode large =
        peer.command(
            "echo", Map.of("peer", host.peerId().toBase58(), "size", 1 << 20, "streams", 16), WAIT);
    assertThat(large.path("matched").asBoolean()).isTrue();
    assertThat(large.path("bytes").asLong()).isEqualTo(16L << 20);

    assertThat(peer.ping(host.peerId().toBase58())).isGreaterThanOrEqualTo(0.0);
    assertThat(host.ping(jsId).get(10, TimeUnit.SECONDS)).isPositive();
    await(() -> host.connection(jsId).orElseThrow().info().agentVersion() != null);
    assertThat(events)
        .anyMatch(
            e -> e.type() == EventType.CONNECTION_OPENED && e.direction() == Direction.INBOUND);
  }

  /**
   * A minute is longer than the idle timeouts a js-libp2p connection meets on the way (yamux
   * keep-alive, the connection manager's inactivity checks); the default run keeps the short
   * version below.
   */
  @Test
  @Tag("slow")
  void shouldKeepTheConnectionThroughAMinuteOfIdleWithBackgroundPings() throws Exception {
    keepsTheConnectionIdleFor(Duration.ofSeconds(65), 10);
  }

  @Test
  void shouldKeepTheConnectionThroughSeveralPingIntervalsOfIdle() throws Exception {
    keepsTheConnectionIdleFor(Duration.ofSeconds(12), 2);
  }

  /**
   * Dials js and sends nothing for {@code idle} but the host's background pings (every 5 s here),
   * checking each second that the connection is still open: it stays one connection, every ping is
   * answered, nothing is closed or rejected.
   */
  private void keepsTheConnectionIdleFor(Duration idle, int pings) throws Exception {
    JsPeer peer = js.start();
    PeerId jsId = PeerId.parse(peer.peerId());
    Connection c = host.dial(Multiaddr.parse(peer.addr())).get(15, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + idle.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(c.isOpen()).isTrue();
      Thread.sleep(1000);
    }
    assertThat(c.isOpen()).isTrue();
    assertThat(host.connection(jsId)).isPresent();
    assertThat(peer.command("connections", Map.of())).hasSize(1);
    assertThat(host.counter(TransportCounter.PINGS_SENT)).isGreaterThanOrEqualTo(pings);
    assertThat(host.counter(TransportCounter.PINGS_FAILED)).isZero();
    assertThat(events).noneMatch(e -> e.type() == EventType.CONNECTION_CLOSED);
    assertThat(events).noneMatch(e -> e.type() == EventType.INPUT_REJECTED);
  }

  private static CompletableFuture<byte[]> echo(Connection c, byte[] data) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    c.newStream(ECHO)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
                return;
              }
              ByteArrayOutputStream got = new ByteArrayOutputStream();
              s.setListener(
                  new StreamListener() {
                    @Override
                    public void onData(ProtocolStream st, ByteBuffer buf) {
                      byte[] b = new byte[buf.remaining()];
                      buf.get(b);
                      got.write(b, 0, b.length);
                    }

                    @Override
                    public void onRemoteClose(ProtocolStream st) {
                      result.complete(got.toByteArray());
                    }

                    @Override
                    public void onReset(ProtocolStream st) {
                      result.completeExceptionally(new IllegalStateException("echo stream reset"));
                    }
                  });
              s.write(data);
              s.closeWrite();
            });
    return result;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    Await.until("the condition holds", WAIT, condition::getAsBoolean);
  }
}
