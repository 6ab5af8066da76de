package io.meshlog.node.p2p.internal.ping;

import io.meshlog.node.p2p.Connection;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamHandler;
import io.meshlog.node.p2p.StreamListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ping: the responder echoes whatever arrives and keeps the stream open for the next payload (as
 * js-libp2p and go-libp2p expect); {@link #ping} sends one 32-byte random payload on a fresh stream
 * and measures the time until the identical echo is back.
 *
 * <p>Stateless and thread-safe; per-ping state lives in the stream's listener.
 */
public final class PingService {

  /** Payload size fixed by the ping spec. */
  public static final int PAYLOAD_SIZE = 32;

  private final ScheduledExecutorService timer;

  public PingService(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Serves {@link Host#PING}: echo every byte back, in order. */
  public StreamHandler responder() {
    return stream ->
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
            });
  }

  /**
   * Opens a ping stream on {@code connection}, sends one payload and completes with the round trip;
   * fails on timeout or on a wrong echo.
   */
  public CompletableFuture<Duration> ping(Connection connection, Duration timeout) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        this.timer.schedule(
            () -> result.completeExceptionally(new TimeoutException("ping timed out")),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    result.whenComplete((d, e) -> timer.cancel(false));
    connection
        .newStream(Host.PING)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
              } else if (result.isDone()) {
                stream.reset();
              } else {
                runPing(stream, result);
              }
            });
    return result;
  }

  private static void runPing(ProtocolStream stream, CompletableFuture<Duration> result) {
    byte[] payload = new byte[PAYLOAD_SIZE];
    ThreadLocalRandom.current().nextBytes(payload);
    byte[] echo = new byte[PAYLOAD_SIZE];
    int[] received = {0};
    long[] sentAt = {0};
    stream.setListener(
        new StreamListener() {
          @Override
          public void onData(ProtocolStream s, ByteBuffer data) {
            int n = Math.min(data.remaining(), PAYLOAD_SIZE - received[0]);
            data.get(echo, received[0], n);
            received[0] += n;
            if (received[0] < PAYLOAD_SIZE) {
              return;
            }
            long rtt = System.nanoTime() - sentAt[0];
            if (Arrays.equals(payload, echo)) {
              result.complete(Duration.ofNanos(rtt));
              s.closeWrite();
            } else {
              result.completeExceptionally(new IllegalStateException("ping echo differs"));
              s.reset();
            }
          }

          @Override
          public void onRemoteClose(ProtocolStream s) {
            result.completeExceptionally(new IllegalStateException("ping stream closed"));
          }

          @Override
          public void onReset(ProtocolStream s) {
            result.completeExceptionally(new IllegalStateException("ping stream reset"));
          }
        });
    result.whenComplete(
        (d, e) -> {
          if (e != null) {
            stream.reset();
          }
        });
    sentAt[0] = System.nanoTime();
    stream.write(payload.clone());
  }
}
