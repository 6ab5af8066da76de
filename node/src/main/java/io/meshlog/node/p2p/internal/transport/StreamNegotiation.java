package io.meshlog.node.p2p.internal.transport;

import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.p2p.StreamHandler;
import io.meshlog.node.p2p.StreamOpenException;
import io.meshlog.node.p2p.TransportCounter;
import io.meshlog.node.p2p.internal.multistream.MultistreamNegotiator;
import io.meshlog.node.p2p.internal.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs multistream-select at the start of one Yamux stream, then hands the stream over: to the
 * waiting caller (outbound) or to the protocol's {@link StreamHandler} (inbound). Bytes the remote
 * pipelined behind its proposal are delivered to the new {@link MuxedStream}.
 *
 * <p>Owned by the stream's event loop. Bounded by the host's handshake timeout.
 */
final class StreamNegotiation implements YamuxStream.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(StreamNegotiation.class);

  private final YamuxStream yamux;
  private final NettyConnection connection;
  private final MultistreamNegotiator negotiator;
  private final CompletableFuture<ProtocolStream> outbound;
  private ByteBuf cumulation;
  private boolean done;
  private ScheduledFuture<?> timeout;

  private StreamNegotiation(
      YamuxStream yamux,
      NettyConnection connection,
      MultistreamNegotiator negotiator,
      CompletableFuture<ProtocolStream> outbound) {
    this.yamux = yamux;
    this.connection = connection;
    this.negotiator = negotiator;
    this.outbound = outbound;
  }

  /** Proposes {@code protocolIds} in order on a stream this side opened; completes once agreed. */
  static CompletableFuture<ProtocolStream> outbound(
      YamuxStream yamux, NettyConnection connection, List<String> protocolIds) {
    CompletableFuture<ProtocolStream> result = new CompletableFuture<>();
    MultistreamNegotiator negotiator =
        MultistreamNegotiator.dialer(protocolIds, MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH);
    StreamNegotiation n = new StreamNegotiation(yamux, connection, negotiator, result);
    yamux.eventLoop().execute(() -> n.begin());
    return result;
  }

  /** Answers the remote's proposals on a stream it opened. */
  static void inbound(YamuxStream yamux, NettyConnection connection) {
    NettyHost host = connection.host();
    MultistreamNegotiator negotiator =
        MultistreamNegotiator.listener(
            host::supports, MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH);
    StreamNegotiation n = new StreamNegotiation(yamux, connection, negotiator, null);
    if (yamux.eventLoop().inEventLoop()) {
      n.begin();
    } else {
      yamux.eventLoop().execute(n::begin);
    }
  }

  private void begin() {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
    negotiator.start(out);
    send(out);
    long timeoutMs = connection.host().config().handshakeTimeout().toMillis();
    timeout =
        yamux
            .eventLoop()
            .schedule(() -> fail("negotiation timed out", false), timeoutMs, TimeUnit.MILLISECONDS);
    // Last: the listener is handed what arrived already (a stream that waited for its connection
    // to be announced has the remote's whole proposal buffered), so the rest must be set up.
    yamux.setListener(this);
  }

  @Override
  public void onData(YamuxStream s, ByteBuf data) {
    if (done) {
      data.release();
      return;
    }
    if (cumulation == null) {
      cumulation = data;
    } else {
      ByteBuf merged =
          ByteBufAllocator.DEFAULT.buffer(cumulation.readableBytes() + data.readableBytes());
      merged.writeBytes(cumulation).writeBytes(data);
      cumulation.release();
      data.release();
      cumulation = merged;
    }
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
    MultistreamNegotiator.Result result = negotiator.feed(cumulation, out);
    send(out);
    switch (result) {
      case SELECTED:
        selected();
        break;
      case FAILED:
        fail(negotiator.failure(), !negotiator.isDialer());
        break;
      default:
        if (!cumulation.isReadable()) {
          cumulation.release();
          cumulation = null;
        }
        break;
    }
  }

  private void selected() {
    done = true;
    timeout.cancel(false);
    countUnsupported();
    NettyHost host = connection.host();
    MuxedStream stream = new MuxedStream(yamux, connection, negotiator.selected());
    yamux.setListener(stream);
    host.counters().increment(TransportCounter.STREAMS_OPENED);
    if (outbound != null) {
      outbound.complete(stream);
    } else {
      StreamHandler handler = host.handler(negotiator.selected());
      try {
        handler.handle(stream);
      } catch (RuntimeException e) {
        LOG.warn(
            "handler for {} failed on a stream from {}",
            negotiator.selected(),
            connection.remotePeer(),
            e);
        stream.reset();
      }
    }
    ByteBuf rest = cumulation;
    cumulation = null;
    if (rest != null && rest.isReadable()) {
      stream.onData(yamux, rest);
    } else if (rest != null) {
      rest.release();
    }
  }

  /** {@code peerFault}: the remote broke multistream-select on a stream it opened. */
  private void fail(String reason, boolean peerFault) {
    if (done) {
      return;
    }
    done = true;
    countUnsupported();
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    yamux.reset();
    if (outbound != null) {
      outbound.completeExceptionally(new StreamOpenException(reason));
    } else if (peerFault) {
      // A listener answers unknown protocols with "na" and goes on; failing means the remote
      // broke the protocol (bad header, oversized message, endless proposals).
      connection.host().counters().increment(TransportCounter.REJECTED_MULTISTREAM);
      connection
          .host()
          .events()
          .inputRejected(connection.remotePeer(), "multistream", "stream: " + reason);
    }
  }

  private void countUnsupported() {
    int na = negotiator.unsupportedProposals();
    if (na > 0) {
      connection.host().counters().add(TransportCounter.STREAMS_UNSUPPORTED, na);
    }
  }

  private void send(ByteBuf out) {
    if (out.isReadable()) {
      yamux.write(out);
    } else {
      out.release();
    }
  }

  @Override
  public void onRemoteClose(YamuxStream s) {
    fail("remote closed the stream during negotiation", false);
  }

  @Override
  public void onReset(YamuxStream s) {
    fail("stream reset during negotiation", false);
  }
}
