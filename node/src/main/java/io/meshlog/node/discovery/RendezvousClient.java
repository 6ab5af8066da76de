package io.meshlog.node.discovery;

import io.meshlog.node.discovery.internal.RendezvousCodec;
import io.meshlog.node.discovery.internal.RendezvousMessage;
import io.meshlog.node.discovery.internal.RendezvousMessage.Discover;
import io.meshlog.node.discovery.internal.RendezvousMessage.DiscoverResponse;
import io.meshlog.node.discovery.internal.RendezvousMessage.Register;
import io.meshlog.node.discovery.internal.RendezvousMessage.RegisterResponse;
import io.meshlog.node.discovery.internal.RendezvousMessage.Unregister;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.InvalidRecordException;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.ProtocolStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of {@code /rendezvous/1.0.0}: one stream per request, as go-libp2p's client does;
 * the answer completes the future and the stream is closed. Records in DISCOVER answers are opened
 * (verified) here; those that do not verify are counted in the result and left out.
 *
 * <p>Thread-safe and stateless beyond the host; futures complete on I/O threads.
 */
public final class RendezvousClient {

  /** A REGISTER's answer. */
  public record Registered(RendezvousStatus status, String text, long ttlSeconds) {}

  /** A DISCOVER's answer: verified records, the cookie for the next poll, records refused. */
  public record Discovered(
      RendezvousStatus status,
      String text,
      List<Discovered.Entry> entries,
      byte[] cookie,
      int invalid) {

    /** One registration of the answer. */
    public record Entry(String topic, PeerRecord record, long ttlSeconds) {}
  }

  private final Host host;
  private final Duration timeout;
  private final ScheduledExecutorService timer;

  /**
   * @param timeout a request without an answer in this time fails
   * @param timer runs the timeouts (the caller owns it: no JDK-wide timer thread is started)
   */
  public RendezvousClient(Host host, Duration timeout, ScheduledExecutorService timer) {
    this.host = host;
    this.timeout = timeout;
    this.timer = timer;
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, String what) {
    ScheduledFuture<?> expiry =
        timer.schedule(
            () ->
                future.completeExceptionally(
                    new TimeoutException(what + " unanswered after " + timeout.toMillis() + " ms")),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    future.whenComplete((v, e) -> expiry.cancel(false));
    return future;
  }

  /** Registers this host in {@code ns} at {@code directory} with {@code record}. */
  public CompletableFuture<Registered> register(
      PeerId directory, String ns, PeerRecord record, long ttlSeconds) {
    return register(directory, ns, record.bytes(), ttlSeconds);
  }

  /** Registers with any bytes as the record: how tests play a hostile peer. */
  CompletableFuture<Registered> register(
      PeerId directory, String ns, byte[] envelope, long ttlSeconds) {
    return request(directory, RendezvousMessage.of(new Register(ns, envelope, ttlSeconds)), 0)
        .thenApply(
            m -> {
              RegisterResponse r = m.registerResponse();
              if (r == null) {
                throw new IllegalStateException("answer to REGISTER is of type " + m.type());
              }
              return new Registered(RendezvousStatus.ofCode(r.status()), r.statusText(), r.ttl());
            });
  }

  /** Sends UNREGISTER for {@code ns}; completes when written (the protocol has no answer). */
  public CompletableFuture<Void> unregister(PeerId directory, String ns) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    host.newStream(directory, Rendezvous.PROTOCOL)
        .thenCompose(
            s -> {
              CompletableFuture<Void> written =
                  s.writeMessage(RendezvousCodec.encode(RendezvousMessage.of(new Unregister(ns))));
              s.closeWrite();
              return written;
            })
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else {
                done.complete(null);
              }
            });
    return bounded(done, "UNREGISTER");
  }

  /** Asks {@code directory} for registrations in {@code ns} (all when null). */
  public CompletableFuture<Discovered> discover(
      PeerId directory, String ns, int limit, byte[] cookie) {
    return request(directory, RendezvousMessage.of(new Discover(ns, limit, cookie)), limit)
        .thenApply(
            m -> {
              DiscoverResponse r = m.discoverResponse();
              if (r == null) {
                throw new IllegalStateException("answer to DISCOVER is of type " + m.type());
              }
              List<Discovered.Entry> entries = new ArrayList<>(r.registrations().size());
              int invalid = 0;
              for (Register reg : r.registrations()) {
                try {
                  entries.add(
                      new Discovered.Entry(
                          reg.ns(), PeerRecord.open(reg.signedPeerRecord()), reg.ttl()));
                } catch (InvalidRecordException | NullPointerException e) {
                  invalid++;
                }
              }
              return new Discovered(
                  RendezvousStatus.ofCode(r.status()),
                  r.statusText(),
                  entries,
                  r.cookie(),
                  invalid);
            });
  }

  private CompletableFuture<RendezvousMessage> request(
      PeerId directory, RendezvousMessage message, int limit) {
    CompletableFuture<RendezvousMessage> answer = new CompletableFuture<>();
    host.newStream(directory, Rendezvous.PROTOCOL)
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                answer.completeExceptionally(error);
                return;
              }
              stream.setMessageListener(
                  Rendezvous.MAX_RESPONSE_BYTES,
                  new MessageListener() {
                    @Override
                    public void onMessage(ProtocolStream s, byte[] bytes) {
                      try {
                        answer.complete(
                            RendezvousCodec.decode(bytes, limit <= 0 ? 10_000 : limit + 16));
                      } catch (RendezvousCodec.MalformedException e) {
                        answer.completeExceptionally(new IllegalStateException(e.getMessage()));
                      }
                      s.closeWrite();
                    }

                    @Override
                    public void onRemoteClose(ProtocolStream s) {
                      answer.completeExceptionally(
                          new IllegalStateException("directory closed the stream unanswered"));
                    }

                    @Override
                    public void onReset(ProtocolStream s) {
                      answer.completeExceptionally(
                          new IllegalStateException("directory reset the stream"));
                    }
                  });
              stream.writeMessage(RendezvousCodec.encode(message));
              answer.whenComplete((m, e) -> stream.closeWrite());
            });
    return bounded(answer, "request");
  }
}
