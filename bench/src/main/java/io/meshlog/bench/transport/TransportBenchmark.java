package io.meshlog.bench.transport;

import io.meshlog.eventlog.EventSink;
import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamListener;
import io.meshlog.node.p2p.factory.Hosts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Measures the transport between two hosts in this JVM over loopback, the same way the js reference
 * script ({@code node/src/test/js/bench.mjs}) measures js-libp2p, so the figures compare:
 *
 * <ul>
 *   <li>connect: {@code connections} sequential dials (TCP + multistream + Noise + multistream +
 *       Yamux), each closed before the next; median, p90, connections per second;
 *   <li>stream throughput: {@code streamBytes} sent in {@code chunkBytes} writes on one stream,
 *       then spread over {@code streams} concurrent streams, to a sink that answers with the byte
 *       count it received.
 * </ul>
 *
 * <p>Every run checks its own result: a sink count that differs from what was sent fails the run
 * instead of reporting a figure. A library method for the {@code meshlog bench} command, and a
 * {@link #main} of its own.
 */
public final class TransportBenchmark {

  /** The sink protocol, shared with the js reference script. */
  public static final String SINK_PROTOCOL = "/meshlog/sink/1.0.0";

  private static final int MAX_IN_FLIGHT_BYTES = 4 << 20;

  /** What to run. */
  public record Settings(int connections, long streamBytes, int chunkBytes, int streams) {
    public static Settings defaults() {
      return new Settings(200, 256L << 20, 64 << 10, 8);
    }
  }

  /** What was measured. */
  public record Figures(
      int connections,
      double connectMedianMs,
      double connectP90Ms,
      double connectionsPerSec,
      long streamBytes,
      double singleStreamMbPerSec,
      int streams,
      double multiStreamMbPerSec) {

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "connect: %d sequential, median %.2f ms, p90 %.2f ms, %.0f conn/s%n"
              + "stream:  %d MB on 1 stream %.0f MB/s; on %d streams %.0f MB/s",
          connections,
          connectMedianMs,
          connectP90Ms,
          connectionsPerSec,
          streamBytes / 1_000_000,
          singleStreamMbPerSec,
          streams,
          multiStreamMbPerSec);
    }
  }

  private TransportBenchmark() {}

  /**
   * Runs the benchmark with two fresh hosts; blocks the calling thread (never call it from an I/O
   * thread).
   *
   * @throws IllegalStateException when a run's result is wrong
   */
  public static Figures run(Settings settings) throws Exception {
    HostConfig config = HostConfig.builder().pingInterval(Duration.ZERO).build();
    try (Host server = Hosts.start(config, Identity.generate(), EventSink.NOOP);
        Host client = Hosts.start(config, Identity.generate(), EventSink.NOOP)) {
      server.handle(SINK_PROTOCOL, TransportBenchmark::serveSink);
      Multiaddr plain = server.listenAddresses().get(0).withoutPeerId();

      double[] times = new double[settings.connections()];
      long started = System.nanoTime();
      for (int i = 0; i < times.length; i++) {
        long t0 = System.nanoTime();
        Connection c = client.dial(plain).get(10, TimeUnit.SECONDS);
        times[i] = (System.nanoTime() - t0) / 1e6;
        if (!c.remotePeer().equals(server.peerId())) {
          throw new IllegalStateException("connected to the wrong peer");
        }
        c.close().get(10, TimeUnit.SECONDS);
      }
      double totalSec = (System.nanoTime() - started) / 1e9;
      Arrays.sort(times);

      Connection c = client.dial(server.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
      byte[] chunk = new byte[settings.chunkBytes()];
      ThreadLocalRandom.current().nextBytes(chunk);
      double single = throughput(c, chunk, settings.streamBytes(), 1);
      double multi = throughput(c, chunk, settings.streamBytes(), settings.streams());
      return new Figures(
          times.length,
          median(times),
          times[(int) (times.length * 0.9)],
          times.length / totalSec,
          settings.streamBytes(),
          single,
          settings.streams(),
          multi);
    }
  }

  private static double median(double[] sorted) {
    int mid = sorted.length >> 1;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double throughput(Connection c, byte[] chunk, long totalBytes, int streams)
      throws Exception {
    long perStream = totalBytes / streams;
    List<ProtocolStream> opened = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opened.add(c.newStream(SINK_PROTOCOL).get(10, TimeUnit.SECONDS));
    }
    long started = System.nanoTime();
    List<CompletableFuture<Long>> counts = new ArrayList<>();
    for (ProtocolStream s : opened) {
      CompletableFuture<Long> count = new CompletableFuture<>();
      s.setListener(new CountReply(count));
      counts.add(count);
      new WritePump(s, chunk, perStream, count).fill();
    }
    for (CompletableFuture<Long> count : counts) {
      long counted = count.get(120, TimeUnit.SECONDS);
      if (counted != perStream) {
        throw new IllegalStateException("sink counted " + counted + " bytes, sent " + perStream);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return perStream * streams / 1e6 / seconds;
  }

  /**
   * Keeps at most {@link #MAX_IN_FLIGHT_BYTES} written but not yet taken by the connection; the
   * next write is issued from the completion of an earlier one, so no thread waits (js's sink does
   * the same with back-pressure).
   */
  private static final class WritePump {
    private final ProtocolStream stream;
    private final byte[] chunk;
    private final CompletableFuture<Long> onError;
    private long remaining;
    private long inFlight;
    private boolean closed;

    WritePump(ProtocolStream stream, byte[] chunk, long bytes, CompletableFuture<Long> onError) {
      this.stream = stream;
      this.chunk = chunk;
      this.remaining = bytes;
      this.onError = onError;
    }

    synchronized void fill() {
      while (remaining > 0 && inFlight < MAX_IN_FLIGHT_BYTES) {
        int n = (int) Math.min(chunk.length, remaining);
        byte[] piece = n == chunk.length ? chunk : Arrays.copyOf(chunk, n);
        remaining -= n;
        inFlight += n;
        stream.write(piece).whenComplete((v, e) -> written(n, e));
      }
      if (remaining == 0 && inFlight == 0 && !closed) {
        closed = true;
        stream.closeWrite();
      }
    }

    private void written(int n, Throwable error) {
      if (error != null) {
        onError.completeExceptionally(error);
        stream.reset();
        return;
      }
      synchronized (this) {
        inFlight -= n;
      }
      fill();
    }
  }

  /** Counts every byte and answers the total as 8 bytes big-endian when the remote closes. */
  private static void serveSink(ProtocolStream stream) {
    stream.setListener(
        new StreamListener() {
          private long count;

          @Override
          public void onData(ProtocolStream s, ByteBuffer data) {
            count += data.remaining();
          }

          @Override
          public void onRemoteClose(ProtocolStream s) {
            s.write(ByteBuffer.allocate(8).putLong(0, count));
            s.closeWrite();
          }
        });
  }

  /** Reads the sink's 8-byte answer. */
  private static final class CountReply implements StreamListener {
    private final CompletableFuture<Long> count;
    private final ByteBuffer reply = ByteBuffer.allocate(8);

    CountReply(CompletableFuture<Long> count) {
      this.count = count;
    }

    @Override
    public void onData(ProtocolStream s, ByteBuffer data) {
      while (data.hasRemaining() && reply.hasRemaining()) {
        reply.put(data.get());
      }
    }

    @Override
    public void onRemoteClose(ProtocolStream s) {
      if (reply.hasRemaining()) {
        count.completeExceptionally(new IllegalStateException("sink answered fewer than 8 bytes"));
      } else {
        count.complete(reply.getLong(0));
      }
    }

    @Override
    public void onReset(ProtocolStream s) {
      count.completeExceptionally(new IllegalStateException("sink stream reset"));
    }
  }

  /**
   * Runs with the defaults, overridable as {@code --connections=N --streamBytes=N --chunkBytes=N
   * --streams=N}, and prints the figures.
   */
  public static void main(String[] args) throws Exception {
    Settings d = Settings.defaults();
    int connections = d.connections();
    long streamBytes = d.streamBytes();
    int chunkBytes = d.chunkBytes();
    int streams = d.streams();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected --key=value, got " + arg);
      }
      switch (kv[0]) {
        case "connections" -> connections = Integer.parseInt(kv[1]);
        case "streamBytes" -> streamBytes = Long.parseLong(kv[1]);
        case "chunkBytes" -> chunkBytes = Integer.parseInt(kv[1]);
        case "streams" -> streams = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown setting " + kv[0]);
      }
    }
    System.out.println(run(new Settings(connections, streamBytes, chunkBytes, streams)));
  }
}
