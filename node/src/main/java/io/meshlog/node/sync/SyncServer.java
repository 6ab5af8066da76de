package io.meshlog.node.sync;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.projection.FinalEntry;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerRateLimit;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.sync.SyncWire.Answer;
import io.meshlog.node.sync.SyncWire.Entry;
import io.meshlog.node.sync.SyncWire.Head;
import io.meshlog.node.sync.SyncWire.Request;
import io.meshlog.node.sync.SyncWire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /meshlog/sync/1.0.0}: answers each request from this node's journal through the
 * projections' indexes, never from memory alone.
 *
 * <pre>
 *  I/O thread: request ─► rate per peer (RATE_LIMITED) ─► decode (BAD_REQUEST); both journaled
 *                       ─► a serve permit (BUSY) ─► serving thread
 *  serving thread: HEADS      origin index: each origin's highest sequence in the topic
 *                  BY_ORIGIN  origin index range ─► journal records ─► signed messages
 *                  BY_RANGE   final-order index range ─► message id index ─► journal records
 *                             ─► signed messages
 *                  FINAL_IDS  final-order index range: (seq, epoch, id) of each message held
 *                ─► one answer, then the stream's write side is closed
 * </pre>
 *
 * <p>Answers stop before {@code sync.maxAnswerBytes} and {@code sync.maxMessagesPerAnswer} (or the
 * smaller limits the request asks for) and then say {@code more}. Thread-safe.
 */
public final class SyncServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

  /** Bytes of an answer's header and of one entry's fixed fields. */
  private static final int ANSWER_OVERHEAD = 64;

  private static final int ENTRY_OVERHEAD = 8 + 1 + 4;

  private final SyncConfig config;
  private final Journal journal;
  private final Projections projections;
  private final CounterSet<SyncCounter> counters;
  private final EventSink sink;
  private final LongSupplier clock;
  private final LongSupplier wallClock;
  private final PeerRateLimit rate;
  private final Semaphore permits;
  private final ExecutorService serving;

  /**
   * @param sink where refused requests are journaled (INPUT_REJECTED)
   * @param clock nanoseconds for the rate limit (monotonic)
   * @param wallClock nanoseconds since the epoch, for the events journaled
   */
  public SyncServer(
      SyncConfig config,
      Journal journal,
      Projections projections,
      CounterSet<SyncCounter> counters,
      EventSink sink,
      LongSupplier clock,
      LongSupplier wallClock) {
    this.config = config.validate();
    this.journal = journal;
    this.projections = projections;
    this.counters = counters;
    this.sink = sink;
    this.clock = clock;
    this.wallClock = wallClock;
    this.rate = new PeerRateLimit(config.requestRate(), config.requestBurst());
    this.permits = new Semaphore(config.maxConcurrentServes());
    this.serving =
        Executors.newFixedThreadPool(
            config.maxConcurrentServes(),
            r -> {
              Thread t = new Thread(r, "meshlog-sync-serve");
              t.setDaemon(true);
              return t;
            });
  }

  /** The stream handler to register for {@link SyncClient#PROTOCOL}. */
  public void handle(ProtocolStream stream) {
    stream.setMessageListener(
        SyncConfig.MAX_REQUEST_BYTES,
        new MessageListener() {
          @Override
          public void onMessage(ProtocolStream s, byte[] message) {
            accept(s, message);
          }
        });
  }

  private void accept(ProtocolStream stream, byte[] bytes) {
    // The rate first: a flood of malformed requests is refused like any other flood, not
    // journaled one by one.
    long now = clock.getAsLong();
    if (!rate.tryAcquire(stream.remotePeer(), now)) {
      long refused = rate.journalRefusal(stream.remotePeer(), now);
      if (refused > 0) {
        rejected(
            stream,
            bytes.length,
            "over sync.requestRate " + config.requestRate() + "/s (" + refused + " refused)");
      }
      refuse(stream, SyncWire.Kind.HEADS, Status.RATE_LIMITED, "over sync.requestRate");
      return;
    }
    Request request;
    try {
      request = SyncWire.decodeRequest(bytes);
    } catch (IllegalArgumentException e) {
      rejected(stream, bytes.length, "malformed request: " + e.getMessage());
      refuse(stream, SyncWire.Kind.HEADS, Status.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!permits.tryAcquire()) {
      refuse(stream, request.kind(), Status.BUSY, "over sync.maxConcurrentServes");
      return;
    }
    try {
      serving.execute(
          () -> {
            try {
              send(stream, request.kind(), answer(request));
            } catch (RuntimeException e) {
              LOG.warn("serving a sync request from {} failed", stream.remotePeer(), e);
              refuse(stream, request.kind(), Status.ERROR, "server error");
            } finally {
              permits.release();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      permits.release();
      refuse(stream, request.kind(), Status.BUSY, "closing");
    }
  }

  private Answer answer(Request r) {
    return switch (r.kind()) {
      case HEADS -> heads(r);
      case BY_ORIGIN -> byOrigin(r);
      case BY_RANGE -> byRange(r);
      case FINAL_IDS -> finalIds(r);
    };
  }

  private Answer heads(Request r) {
    int max = Math.min(Math.max(r.maxMessages(), 1), (config.maxAnswerBytes() - 64) / 264);
    List<Head> heads = new ArrayList<>();
    for (Map.Entry<byte[], Long> e : projections.originHeads(r.topic(), max).entrySet()) {
      heads.add(new Head(e.getKey(), e.getValue()));
    }
    return new Answer(Status.OK, "", heads, List.of(), false);
  }

  private Answer byOrigin(Request r) {
    int maxMessages = Math.min(Math.max(r.maxMessages(), 1), config.maxMessagesPerAnswer());
    List<long[]> rows =
        projections.originRange(r.topic(), r.origin(), r.from(), r.to(), maxMessages);
    boolean more = rows.size() == maxMessages && rows.get(rows.size() - 1)[0] < r.to();
    return serve(rows, maxBytes(r), more);
  }

  private Answer byRange(Request r) {
    int maxMessages = Math.min(Math.max(r.maxMessages(), 1), config.maxMessagesPerAnswer());
    List<FinalEntry> finals = finalRows(r, maxMessages);
    boolean more = finals.size() == maxMessages && finals.get(finals.size() - 1).seq() < r.to();
    List<long[]> rows = new ArrayList<>(finals.size());
    for (FinalEntry row : finals) {
      if (r.epoch() != 0 && row.epoch() != r.epoch()) {
        continue;
      }
      OptionalLong index = projections.messageIndex(row.messageId());
      if (index.isPresent()) { // else a confirmation of a message this node lacks
        rows.add(new long[] {row.seq(), index.getAsLong()});
      }
    }
    return serve(rows, maxBytes(r), more);
  }

  /**
   * Serves rows of (sequence in the asked stream, journal index) up to {@code maxBytes}, skipping
   * messages retention deleted or journaled before signatures were.
   */
  private Answer serve(List<long[]> rows, long maxBytes, boolean more) {
    List<Entry> entries = new ArrayList<>(rows.size());
    long bytes = ANSWER_OVERHEAD;
    try (JournalMessages messages = new JournalMessages(journal, projections)) {
      for (long[] row : rows) {
        JournalMessages.Found found = messages.at(row[1]);
        if (found == null) {
          continue;
        }
        byte[] encoded = found.message().encode();
        long size = ENTRY_OVERHEAD + found.messageId().length + encoded.length;
        if (bytes + size > maxBytes) {
          more = true;
          break;
        }
        bytes += size;
        entries.add(new Entry(row[0], found.messageId(), encoded));
      }
    }
    counters.add(SyncCounter.MESSAGES_SERVED, entries.size());
    return new Answer(Status.OK, "", List.of(), entries, more);
  }

  /**
   * The final rows in the request's range whose message this node's journal holds: what a BY_RANGE
   * request for them would bring, without the messages (a 17-byte row plus the id each). A page
   * covers as many rows as fit whether held or not, and says through which seq it looked.
   */
  private Answer finalIds(Request r) {
    long maxBytes = maxBytes(r);
    int fit = (int) Math.max(1, Math.min(65_535, (maxBytes - ANSWER_OVERHEAD) / (17 + 64)));
    int maxRows = Math.min(Math.max(r.maxMessages(), 1), fit);
    List<FinalEntry> rows = finalRows(r, maxRows);
    boolean more = rows.size() == maxRows && rows.get(rows.size() - 1).seq() < r.to();
    List<SyncWire.Final> finals = new ArrayList<>(rows.size());
    for (FinalEntry row : rows) {
      if ((r.epoch() == 0 || row.epoch() == r.epoch())
          && projections.messageIndex(row.messageId()).isPresent()) {
        finals.add(new SyncWire.Final(row.seq(), row.epoch(), row.messageId()));
      }
    }
    long head = projections.lastFinal(r.topic()).map(FinalEntry::seq).orElse(-1L);
    long through = more ? rows.get(rows.size() - 1).seq() : Math.min(r.to(), head);
    return Answer.finals(head, through, finals, more);
  }

  /** The topic's final rows from the request's {@code from} through its {@code to}, at most max. */
  private List<FinalEntry> finalRows(Request r, int max) {
    List<FinalEntry> rows = new ArrayList<>(projections.finalOrder(r.topic(), r.from(), max));
    rows.removeIf(row -> row.seq() > r.to());
    return rows;
  }

  private long maxBytes(Request r) {
    return Math.min(r.maxBytes() <= 0 ? Integer.MAX_VALUE : r.maxBytes(), config.maxAnswerBytes());
  }

  /**
   * Journals a refused request as INPUT_REJECTED (peer, size, {@code sync: <why>}). A flood is
   * journaled at most once a second per peer, with the count it stands for; a malformed request
   * within the rate, each time.
   */
  private void rejected(ProtocolStream stream, int size, String why) {
    sink.publish(
        new Event()
            .type(EventType.INPUT_REJECTED)
            .timeNanos(wallClock.getAsLong())
            .peer(stream.remotePeer().bytes())
            .value(size)
            .text("sync: " + why));
  }

  private void refuse(ProtocolStream stream, SyncWire.Kind kind, Status status, String why) {
    send(stream, kind, Answer.refused(status, why == null ? "" : why));
  }

  private void send(ProtocolStream stream, SyncWire.Kind kind, Answer answer) {
    byte[] bytes = SyncWire.encode(kind, answer);
    counters.increment(
        answer.status() == Status.OK ? SyncCounter.REQUESTS_SERVED : SyncCounter.REQUESTS_REFUSED);
    counters.add(SyncCounter.BYTES_OUT, bytes.length);
    stream.writeMessage(bytes).whenComplete((v, e) -> stream.closeWrite());
  }

  /** Stops serving; requests in progress finish or are dropped after 5 s. */
  @Override
  public void close() {
    serving.shutdown();
    try {
      serving.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
