package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client against a real node on 127.0.0.1 while an honest peer gossips with it: many
 * connections that never start a handshake, oversize multistream and Noise length prefixes, a
 * handshake sent one byte at a time, frames in the wrong order. The node keeps delivering the
 * honest peer's messages, closes every hostile connection itself (handshake timeout or rejection),
 * gives back its file descriptors, and journals the failures.
 */
@Timeout(120)
class HostileClientTest {

  private static final String TOPIC = "hostile";
  private static final int SILENT = 100;
  private static final int OVERSIZE = 20;

  @TempDir Path tmp;

  private final List<MeshlogNode> nodes = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() throws Exception {
    slow.shutdownNow();
    slow.awaitTermination(5, TimeUnit.SECONDS);
    for (Socket s : sockets) {
      s.close();
    }
    for (MeshlogNode n : nodes) {
      n.close();
    }
  }

  private MeshlogNode start(Path dir, List<String> peers) {
    NodeConfig config =
        NodeConfig.builder(dir)
            .host(
                HostConfig.builder()
                    .listenAddresses(List.of("/ip4/127.0.0.1/tcp/0"))
                    .handshakeTimeout(Duration.ofSeconds(2))
                    .build())
            .topics(List.of(TOPIC))
            .peers(peers)
            .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .build();
    MeshlogNode node = MeshlogNode.start(config);
    nodes.add(node);
    return node;
  }

  @Test
  void shouldKeepServingHonestPeersWhileHostileConnectionsAreClosedAndJournaled() throws Exception {
    MeshlogNode target = start(tmp.resolve("target"), List.of());
    Multiaddr addr = target.listenAddresses().get(0);
    InetSocketAddress where = new InetSocketAddress("127.0.0.1", addr.tcpPort());
    long fdsBefore = openFds();

    // Connections that never say anything.
    for (int i = 0; i < SILENT; i++) {
      connect(where);
    }
    // A multistream length prefix far over the limit, and a Noise frame prefix over it.
    for (int i = 0; i < OVERSIZE; i++) {
      Socket s = connect(where);
      OutputStream out = s.getOutputStream();
      if (i % 2 == 0) {
        out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f});
      } else {
        out.write(multistream("/multistream/1.0.0"));
        out.write(multistream("/noise"));
        out.write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
      }
      out.flush();
    }
    // Frames in the wrong order: a Yamux header before any handshake.
    Socket early = connect(where);
    early.getOutputStream().write(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 'h', 'e'});
    // A handshake one byte at a time, slower than the handshake timeout allows.
    Socket loris = connect(where);
    byte[] header = multistream("/multistream/1.0.0");
    int[] next = {0};
    slow.scheduleAtFixedRate(
        () -> {
          try {
            if (next[0] < header.length) {
              loris.getOutputStream().write(header[next[0]++]);
            }
          } catch (IOException e) {
            // closed by the node: the point
          }
        },
        0,
        300,
        TimeUnit.MILLISECONDS);

    // Meanwhile an honest peer joins and gossips.
    MeshlogNode honest = start(tmp.resolve("honest"), List.of(addr.toString()));
    List<byte[]> received = new CopyOnWriteArrayList<>();
    honest.onMessage((topic, origin, envelope) -> received.add(envelope.payload()));
    Await.until(
        "the honest peer in the target's mesh",
        Duration.ofSeconds(30),
        () -> !target.gossipsub().meshPeers(TOPIC).get().isEmpty());
    for (int i = 0; i < 20; i++) {
      target.publish(TOPIC, ("line " + i).getBytes(StandardCharsets.UTF_8)).get();
    }
    Await.until("20 lines at the honest peer", Duration.ofSeconds(30), () -> received.size() == 20);

    // Every hostile connection is closed by the node, not by us.
    for (Socket s : sockets) {
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // the node's own multistream header or nothing; then it closes
      }
    }
    for (Socket s : sockets) {
      s.close();
    }
    Await.until(
        "the target's file descriptors back near where they were",
        Duration.ofSeconds(30),
        () -> openFds() <= fdsBefore + 40);
    assertThat(honest.gossipsub().meshPeers(TOPIC).get()).isNotEmpty();

    long failed = 0;
    long rejected = 0;
    try (JournalReader r = target.journal().reader()) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.CONNECTION_FAILED) {
          failed++;
        } else if (e.type() == EventType.INPUT_REJECTED) {
          rejected++;
        }
      }
    }
    assertThat(failed + rejected)
        .as("hostile connections journaled as failed or rejected")
        .isGreaterThanOrEqualTo(SILENT + OVERSIZE);
  }

  private Socket connect(InetSocketAddress where) throws IOException {
    Socket s = new Socket();
    s.connect(where, 5_000);
    sockets.add(s);
    return s;
  }

  private static byte[] multistream(String line) {
    byte[] text = (line + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 1];
    out[0] = (byte) text.length;
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
