package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Direction;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HostTest {
  private final RecordingEventSink serverEvents = new RecordingEventSink();
  private final RecordingEventSink clientEvents = new RecordingEventSink();
  private Host server;
  private Host client;

  @BeforeEach
  void start() {
    server = Hosts.start(HostConfig.defaults(), Identity.generate(), serverEvents);
    client = Hosts.start(HostConfig.defaults(), Identity.generate(), clientEvents);
    server.handle(EchoProtocol.ID, EchoProtocol.handler());
    client.handle(EchoProtocol.ID, EchoProtocol.handler());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private Connection connect() throws Exception {
    return client.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldUpgradeIdentifyAndJournalBothSides() throws Exception {
    Connection c = connect();
    assertThat(c.remotePeer()).isEqualTo(server.peerId());

    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () ->
            c.info().agentVersion() != null
                && server.connections().size() == 1
                && server.connections().get(0).agentVersion() != null);
    assertThat(c.info().agentVersion()).startsWith("meshlog/");
    assertThat(c.info().protocols()).contains(Host.IDENTIFY, Host.PING, EchoProtocol.ID);
    assertThat(c.info().listenAddresses())
        .contains(server.listenAddresses().get(0).withoutPeerId());
    assertThat(c.info().direction()).isEqualTo(Direction.OUTBOUND);
    ConnectionInfo atServer = server.connections().get(0);
    assertThat(atServer.peer()).isEqualTo(client.peerId());
    assertThat(atServer.direction()).isEqualTo(Direction.INBOUND);
    assertThat(atServer.agentVersion()).startsWith("meshlog/");

    assertThat(clientEvents.ofType(EventType.CONNECTION_OPENED)).hasSize(1);
    assertThat(clientEvents.ofType(EventType.CONNECTION_OPENED).get(0).peer())
        .isEqualTo(server.peerId().bytes());
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () ->
            serverEvents.ofType(EventType.IDENTIFY_RECEIVED).size() == 1
                && clientEvents.ofType(EventType.IDENTIFY_RECEIVED).size() == 1);
    assertThat(serverEvents.texts(EventType.IDENTIFY_RECEIVED).get(0)).startsWith("meshlog/");
  }

  @Test
  void shouldReuseAnOpenConnectionToTheSamePeer() throws Exception {
    Connection first = connect();
    Connection second = connect();
    assertThat(second).isSameAs(first);
    assertThat(client.connections()).hasSize(1);
  }

  @Test
  void shouldPingBothWaysAndKeepTheLastRtt() throws Exception {
    connect();
    Duration there = client.ping(server.peerId()).get(10, TimeUnit.SECONDS);
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () -> server.connection(client.peerId()).isPresent());
    Duration back = server.ping(client.peerId()).get(10, TimeUnit.SECONDS);
    assertThat(there).isPositive().isLessThan(Duration.ofSeconds(5));
    assertThat(back).isPositive().isLessThan(Duration.ofSeconds(5));
    assertThat(client.connections().get(0).lastRtt()).isEqualTo(there);
    assertThat(clientEvents.ofType(EventType.PING_RTT)).hasSize(1);
    assertThat(clientEvents.ofType(EventType.PING_RTT).get(0).value()).isEqualTo(there.toNanos());
  }

  @Test
  void shouldPingPeriodically() throws Exception {
    try (Host pinger =
        Hosts.start(
            HostConfig.builder().pingInterval(Duration.ofMillis(200)).build(),
            Identity.generate(),
            clientEvents)) {
      pinger.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      Await.until(
          "the condition holds",
          Duration.ofSeconds(10),
          () -> pinger.counter(TransportCounter.PINGS_SENT) >= 3);
      assertThat(pinger.connections().get(0).lastRtt()).isNotNull();
    }
  }

  @Test
  void shouldEchoOnManyConcurrentStreams() throws Exception {
    Connection c = connect();
    int streams = 200;
    List<StreamCollector> collectors = new ArrayList<>();
    List<CompletableFuture<ProtocolStream>> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opened.add(c.newStream(EchoProtocol.ID));
    }
    for (int i = 0; i < streams; i++) {
      ProtocolStream s = opened.get(i).get(10, TimeUnit.SECONDS);
      StreamCollector collector = new StreamCollector(true);
      s.setListener(collector);
      collectors.add(collector);
      s.write(("hello " + i).getBytes(StandardCharsets.UTF_8));
      s.closeWrite();
    }
    for (int i = 0; i < streams; i++) {
      collectors.get(i).digest.get(10, TimeUnit.SECONDS);
      assertThat(collectors.get(i).text()).isEqualTo("hello " + i);
    }
  }

  @Test
  void shouldCarryALargeTransferIntactThroughFlowControl() throws Exception {
    Connection c = connect();
    ProtocolStream s = c.newStream(EchoProtocol.ID).get(10, TimeUnit.SECONDS);
    StreamCollector collector = new StreamCollector(false);
    s.setListener(collector);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    Random random = new Random(1);
    int chunks = 256;
    for (int i = 0; i < chunks; i++) {
      byte[] chunk = new byte[128 * 1024];
      random.nextBytes(chunk);
      sent.update(chunk);
      // Wait on the write so the pending queue stays within the configured bound.
      s.write(chunk).get(20, TimeUnit.SECONDS);
    }
    s.closeWrite();
    assertThat(collector.digest.get(30, TimeUnit.SECONDS)).isEqualTo(sent.digest());
    assertThat(collector.bytes).isEqualTo(chunks * 128L * 1024);
  }

  /**
   * A clean close sends what streams had written: most of a large write still waits for the peer's
   * Yamux window, and the rest in the channel, when the host closes right after it.
   */
  @Test
  void shouldSendWhatWasWrittenBeforeTheHostClosed() throws Exception {
    MessageDigest atServer = MessageDigest.getInstance("SHA-256");
    AtomicLong received = new AtomicLong();
    server.handle(
        "/sink/1.0.0",
        st ->
            st.setListener(
                new StreamListener() {
                  @Override
                  public void onData(ProtocolStream x, java.nio.ByteBuffer data) {
                    received.addAndGet(data.remaining());
                    atServer.update(data);
                  }

                  @Override
                  public void onReset(ProtocolStream x) {}
                }));
    ProtocolStream s = connect().newStream("/sink/1.0.0").get(10, TimeUnit.SECONDS);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    Random random = new Random(2);
    int chunks = 64;
    int chunkSize = 128 * 1024;
    for (int i = 0; i < chunks; i++) {
      byte[] chunk = new byte[chunkSize];
      random.nextBytes(chunk);
      sent.update(chunk);
      s.write(chunk); // not waited for: 8 MiB, within maxPendingWriteBytes
    }
    client.close();

    long total = (long) chunks * chunkSize;
    Await.until(
        "the server to receive all " + total + " bytes",
        Duration.ofSeconds(20),
        () -> received.get() == total);
    assertThat(atServer.digest()).isEqualTo(sent.digest());
    assertThat(clientEvents.texts(EventType.CONNECTION_CLOSED)).containsExactly("host closed");
  }

  /**
   * A peer that stops reading cannot hold up a stop beyond {@code host.closeGrace}: the connection
   * closes when it runs out, and its CONNECTION_CLOSED says that writes were left unsent.
   */
  @Test
  void shouldCloseWithinTheGraceWhenThePeerStopsReading() throws Exception {
    client.close();
    RecordingEventSink events = new RecordingEventSink();
    client =
        Hosts.start(
            HostConfig.builder().closeGrace(Duration.ofMillis(300)).build(),
            Identity.generate(),
            events);
    // The server's listener holds its I/O thread: nothing more is read, no credit returned.
    java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.handle(
        "/stall/1.0.0",
        st ->
            st.setListener(
                new StreamListener() {
                  @Override
                  public void onData(ProtocolStream x, java.nio.ByteBuffer data) {
                    stalled.countDown();
                    try {
                      release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }

                  @Override
                  public void onReset(ProtocolStream x) {}
                }));
    Duration took;
    try {
      ProtocolStream s = connect().newStream("/stall/1.0.0").get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 8; i++) {
        s.write(new byte[128 * 1024]); // 1 MiB against a 256 KiB window
      }
      assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      client.close();
      took = Duration.ofNanos(System.nanoTime() - start);
    } finally {
      release.countDown();
    }

    assertThat(took).isLessThan(Duration.ofSeconds(3)); // the default grace would take 5 s
    assertThat(events.texts(EventType.CONNECTION_CLOSED))
        .containsExactly("host closed, writes unsent after 300 ms");
  }

  @Test
  void shouldFailToOpenAStreamForAnUnsupportedProtocol() throws Exception {
    Connection c = connect();
    CompletableFuture<ProtocolStream> s = c.newStream("/nobody/1.0.0");
    Await.until("the condition holds", Duration.ofSeconds(10), s::isDone);
    assertThat(s).isCompletedExceptionally();
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void shouldDeliverLengthPrefixedMessages() throws Exception {
    List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.handle("/msgs/1.0.0", st -> st.setMessageListener(1024, (x, m) -> received.add(m)));
    ProtocolStream s = connect().newStream("/msgs/1.0.0").get(10, TimeUnit.SECONDS);
    s.writeMessage("one".getBytes(StandardCharsets.UTF_8));
    s.writeMessage(new byte[0]);
    s.writeMessage("three".getBytes(StandardCharsets.UTF_8));
    Await.until("the condition holds", Duration.ofSeconds(5), () -> received.size() == 3);
    assertThat(new String(received.get(2), StandardCharsets.UTF_8)).isEqualTo("three");
  }

  @Test
  void shouldResetAStreamWhoseMessageIsTooLong() throws Exception {
    server.handle("/msgs/1.0.0", st -> st.setMessageListener(16, (x, m) -> {}));
    ProtocolStream s = connect().newStream("/msgs/1.0.0").get(10, TimeUnit.SECONDS);
    StreamCollector collector = new StreamCollector(false);
    s.setListener(collector);
    s.writeMessage(new byte[100]);
    collector.reset.get(10, TimeUnit.SECONDS);
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () -> !serverEvents.ofType(EventType.INPUT_REJECTED).isEmpty());
    assertThat(serverEvents.texts(EventType.INPUT_REJECTED).get(0)).startsWith("stream: ");
  }

  @Test
  void shouldTellTheRemoteAboutAReset() throws Exception {
    CompletableFuture<Void> remoteSawReset = new CompletableFuture<>();
    server.handle(
        "/hold/1.0.0",
        st ->
            st.setListener(
                new StreamListener() {
                  @Override
                  public void onData(ProtocolStream x, java.nio.ByteBuffer data) {}

                  @Override
                  public void onReset(ProtocolStream x) {
                    remoteSawReset.complete(null);
                  }
                }));
    ProtocolStream s = connect().newStream("/hold/1.0.0").get(10, TimeUnit.SECONDS);
    s.write(new byte[10]);
    s.reset();
    remoteSawReset.get(10, TimeUnit.SECONDS);
    assertThat(s.isOpen()).isFalse();
  }

  @Test
  void shouldReportAnAbruptCloseToTheOtherSide() throws Exception {
    Connection c = connect();
    ProtocolStream s = c.newStream(EchoProtocol.ID).get(10, TimeUnit.SECONDS);
    StreamCollector collector = new StreamCollector(false);
    s.setListener(collector);
    Await.until(
        "the condition holds", Duration.ofSeconds(5), () -> server.connections().size() == 1);
    server.close();
    collector.reset.get(10, TimeUnit.SECONDS);
    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () -> !c.isOpen() && client.connections().isEmpty());
    assertThat(clientEvents.ofType(EventType.CONNECTION_CLOSED)).hasSize(1);
    assertThat(serverEvents.texts(EventType.CONNECTION_CLOSED)).containsExactly("host closed");
  }

  @Test
  void shouldDisconnectOnRequest() throws Exception {
    connect();
    client.disconnect(server.peerId()).get(10, TimeUnit.SECONDS);
    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () ->
            server.connections().isEmpty()
                && !clientEvents.ofType(EventType.CONNECTION_CLOSED).isEmpty()
                && !serverEvents.ofType(EventType.CONNECTION_CLOSED).isEmpty());
    assertThat(clientEvents.texts(EventType.CONNECTION_CLOSED))
        .containsExactly("disconnected locally");
    assertThat(serverEvents.texts(EventType.CONNECTION_CLOSED))
        .singleElement()
        .asString()
        .startsWith("closed by remote");
  }

  @Test
  void shouldServeFiftyConnectionsAtOnce() throws Exception {
    Multiaddr plain = server.listenAddresses().get(0).withoutPeerId();
    List<CompletableFuture<Connection>> dials = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      dials.add(client.dial(plain));
    }
    for (CompletableFuture<Connection> d : dials) {
      Connection c = d.get(20, TimeUnit.SECONDS);
      assertThat(c.remotePeer()).isEqualTo(server.peerId());
    }
    // A connection enters the table when it is admitted and is counted when it is announced, a
    // step later on its event loop: both reach 50.
    Await.until(
        "fifty connections in the table and counted",
        Duration.ofSeconds(10),
        () ->
            server.connections().size() == 50
                && server.counter(TransportCounter.CONNECTIONS_OPENED) == 50);
    assertThat(server.connections()).hasSize(50);
    assertThat(server.counter(TransportCounter.CONNECTIONS_OPENED)).isEqualTo(50);
  }

  @Test
  void shouldFailADialToAWrongPeerId() throws Exception {
    Multiaddr wrong =
        server.listenAddresses().get(0).withoutPeerId().withPeerId(Identity.generate().peerId());
    CompletableFuture<Connection> dial = client.dial(wrong);
    Await.until("the condition holds", Duration.ofSeconds(10), dial::isDone);
    assertThat(dial).isCompletedExceptionally();
    assertThat(clientEvents.ofType(EventType.CONNECTION_FAILED)).hasSize(1);
  }

  @Test
  void shouldFailADialToAClosedPort() throws Exception {
    Multiaddr nothing = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
    CompletableFuture<Connection> dial = client.dial(nothing);
    Await.until("the condition holds", Duration.ofSeconds(10), dial::isDone);
    assertThat(dial).isCompletedExceptionally();
    assertThat(clientEvents.texts(EventType.CONNECTION_FAILED).get(0)).contains("/tcp/1");
  }

  @Test
  void shouldListenAndDialOverIpv6() throws Exception {
    try (Host v6 =
        Hosts.start(
            HostConfig.builder().listenAddresses(List.of("/ip6/::1/tcp/0")).build(),
            Identity.generate(),
            serverEvents)) {
      assertThat(v6.listenAddresses().get(0).toString()).startsWith("/ip6/::1/tcp/");
      Connection c = client.dial(v6.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      assertThat(c.remotePeer()).isEqualTo(v6.peerId());
    }
  }

  @Test
  void shouldRefuseConnectionsBeyondMaxConnections() throws Exception {
    try (Host small =
        Hosts.start(
            HostConfig.builder().maxConnections(2).build(), Identity.generate(), serverEvents)) {
      Multiaddr plain = small.listenAddresses().get(0).withoutPeerId();
      client.dial(plain).get(10, TimeUnit.SECONDS);
      client.dial(plain).get(10, TimeUnit.SECONDS);
      CompletableFuture<Connection> third = client.dial(plain);
      Await.until("the condition holds", Duration.ofSeconds(10), third::isDone);
      assertThat(third).isCompletedExceptionally();
      assertThat(small.counter(TransportCounter.CONNECTIONS_REFUSED)).isEqualTo(1);
      assertThat(small.connections()).hasSize(2);
      assertThat(client.connections()).hasSize(2);
    }
  }

  @Test
  void shouldTakeIdentifyPushUpdates() throws Exception {
    connect();
    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () ->
            server.connection(client.peerId()).isPresent()
                && server.connection(client.peerId()).get().info().agentVersion() != null);
    ProtocolStream push =
        client.newStream(server.peerId(), Host.IDENTIFY_PUSH).get(10, TimeUnit.SECONDS);
    push.writeMessage(
        io.meshlog.node.p2p.internal.identify.IdentifyCodec.encode(
            new io.meshlog.node.p2p.internal.identify.IdentifyMessage(
                "ipfs/0.1.0",
                "meshlog/pushed",
                null,
                List.of(),
                null,
                List.of("/new/1.0.0"),
                null)));
    push.closeWrite();
    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () ->
            "meshlog/pushed"
                .equals(server.connection(client.peerId()).get().info().agentVersion()));
    assertThat(server.connection(client.peerId()).get().info().protocols())
        .containsExactly("/new/1.0.0");
  }

  @Test
  void shouldAdvertiseInterfaceAddressesForAWildcardListener() throws Exception {
    try (Host any =
        Hosts.start(
            HostConfig.builder().listenAddresses(List.of("/ip4/0.0.0.0/tcp/0")).build(),
            Identity.generate(),
            serverEvents)) {
      assertThat(any.listenAddresses())
          .extracting(Multiaddr::toString)
          .noneMatch(a -> a.startsWith("/ip4/0.0.0.0/"))
          .anyMatch(a -> a.startsWith("/ip4/127.0.0.1/tcp/"));
      Multiaddr loopback =
          any.listenAddresses().stream()
              .filter(a -> a.toString().startsWith("/ip4/127.0.0.1/"))
              .findFirst()
              .orElseThrow();
      assertThat(client.dial(loopback).get(10, TimeUnit.SECONDS).remotePeer())
          .isEqualTo(any.peerId());
    }
  }

  @Test
  void shouldPushANewProtocolToConnectedPeers() throws Exception {
    Connection c = connect();
    Await.until(
        "the condition holds", Duration.ofSeconds(10), () -> c.info().agentVersion() != null);
    assertThat(c.info().protocols()).doesNotContain("/late/1.0.0");
    server.handle("/late/1.0.0", EchoProtocol.handler());
    Await.until(
        "the condition holds",
        Duration.ofSeconds(10),
        () -> c.info().protocols().contains("/late/1.0.0"));
  }

  @Test
  void shouldAgreeOnTheFirstProposedProtocolTheRemoteServes() throws Exception {
    server.handle("/meshsub/1.1.0", EchoProtocol.handler());
    Connection c = connect();
    ProtocolStream s =
        c.newStream(List.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0"))
            .get(10, TimeUnit.SECONDS);
    assertThat(s.protocolId()).isEqualTo("/meshsub/1.1.0");
    CompletableFuture<ProtocolStream> none = c.newStream(List.of("/a/1", "/b/1"));
    Await.until("the condition holds", Duration.ofSeconds(10), none::isDone);
    assertThat(none).isCompletedExceptionally();
    Await.until(
        "the condition holds",
        Duration.ofSeconds(5),
        () -> server.counter(TransportCounter.STREAMS_UNSUPPORTED) == 3);
  }
}
