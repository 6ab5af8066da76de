package io.meshlog.node.sync;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.projection.EnvelopeSequence;
import io.meshlog.eventlog.projection.FinalEntry;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.gossipsub.Gossipsub;
import io.meshlog.node.gossipsub.SignedMessage;
import io.meshlog.node.gossipsub.SyncVerdict;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.ProtocolStream;
import io.meshlog.node.sync.SyncWire.Answer;
import io.meshlog.node.sync.SyncWire.Entry;
import io.meshlog.node.sync.SyncWire.Head;
import io.meshlog.node.sync.SyncWire.Request;
import io.meshlog.node.sync.SyncWire.Status;
import io.meshlog.reconciliation.SeqRange;
import io.meshlog.reconciliation.SequenceGaps;
import io.meshlog.reconciliation.SequenceGaps.OriginTopic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peers for the messages this node lacks, over {@code /meshlog/sync/1.0.0}, and hands what
 * they answer to the router, which checks and delivers it (docs/sync.md).
 *
 * <pre>
 *  peer connected ─► catch-up: per topic HEADS ─► per origin: own origin index vs. its head
 *                                             ─► BY_ORIGIN for each missing range
 *                              then FINAL_IDS from this node's first final seq it lacks a message
 *                              for ─► each listed id neither journaled nor just fetched
 *                              ─► BY_RANGE for each run of them (messages without an envelope too)
 *  live gossip ─► observed(origin, topic, seq) ─► SequenceGaps ─(gap open after sync.gapDelay)─►
 *                                                 BY_ORIGIN to the peer that forwarded it
 *  live confirmation of a message not held, or seq past a hole ─► lacking(topic)
 *             ─(still lacking after sync.gapDelay)─► FINAL_IDS + BY_RANGE to a peer in the topic
 *  answer ─► each entry: topic, origin and sequence what was asked (by range: the id listed at
 *            that final seq)? (else P4 + GAP_SYNC_REFUSED)
 *         ─► router: signature and message id checked ─► DELIVER_MESSAGE via sync + GAP_SYNC_FILLED
 *                                                     └► forged: P4, REJECT + GAP_SYNC_REFUSED
 * </pre>
 *
 * <p>Threads: one scheduler thread owns the live gap table; up to {@code sync.maxConcurrentFetches}
 * fetch threads run catch-ups and fetches and may wait on answers (they are not I/O threads).
 * Public methods may be called from any thread and never block.
 */
public final class SyncClient implements AutoCloseable {
  /** The protocol id. */
  public static final String PROTOCOL = "/meshlog/sync/1.0.0";

  private static final Logger LOG = LoggerFactory.getLogger(SyncClient.class);
  private static final int MAX_HEADS = 10_000;
  private static final int MAX_QUEUED_FETCHES = 1024;
  private static final long CATCH_UP_DELAY_MILLIS = 300;

  private final SyncConfig config;
  private final Host host;
  private final Gossipsub gossip;
  private final Projections projections;
  private final EventSink sink;
  private final CounterSet<SyncCounter> counters;
  private final byte[] self;
  private final Supplier<Collection<String>> topics;
  private final LongSupplier wallNanos;
  private final ScheduledExecutorService scheduler;
  private final ThreadPoolExecutor fetchers;
  private final Set<PeerId> catchingUp = ConcurrentHashMap.newKeySet();

  /** Per topic, a final seq through which this node's journal holds every finalized message. */
  private final Map<String, Long> heldFinalThrough = new ConcurrentHashMap<>();

  // owned by the scheduler thread
  private final Set<String> finalChecks = new java.util.HashSet<>();
  private final Map<String, Long> finalAskedThrough = new HashMap<>();
  private final SequenceGaps<OriginTopic> live = new SequenceGaps<>();
  private final Map<OriginTopic, Long> askedThrough = new HashMap<>();
  private final Set<OriginTopic> checkScheduled = new java.util.HashSet<>();

  /**
   * @param self this node's peer id bytes (its own messages are never fetched)
   * @param topics the topics this node is subscribed to now
   * @param wallNanos wall time for journal events
   */
  public SyncClient(
      SyncConfig config,
      Host host,
      Gossipsub gossip,
      Projections projections,
      EventSink sink,
      CounterSet<SyncCounter> counters,
      byte[] self,
      Supplier<Collection<String>> topics,
      LongSupplier wallNanos) {
    this.config = config.validate();
    this.host = host;
    this.gossip = gossip;
    this.projections = projections;
    this.sink = sink;
    this.counters = counters;
    this.self = self;
    this.topics = topics;
    this.wallNanos = wallNanos;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "meshlog-sync-gaps"));
    this.fetchers =
        new ThreadPoolExecutor(
            config.maxConcurrentFetches(),
            config.maxConcurrentFetches(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED_FETCHES),
            r -> daemon(r, "meshlog-sync-fetch"),
            (r, pool) -> counters.increment(SyncCounter.REQUESTS_FAILED));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A connection to {@code peer} opened: ask it, soon, for what this node lacks. */
  public void connected(PeerId peer) {
    if (scheduler.isShutdown()) {
      return;
    }
    scheduler.schedule(
        () -> fetchers.execute(() -> catchUp(peer)), CATCH_UP_DELAY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The router delivered envelope {@code seq} of {@code origin} in {@code topic}, forwarded (or
   * served) by {@code forwarder}. Called on the router thread; hands off at once.
   */
  public void observed(PeerId forwarder, String topic, byte[] origin, long seq) {
    if (origin == null || seq < 0 || Arrays.equals(origin, self) || scheduler.isShutdown()) {
      return;
    }
    try {
      scheduler.execute(() -> track(forwarder, topic, origin, seq));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /**
   * A live confirmation showed this node lacks part of {@code topic}'s final order (TopicOrders):
   * checked after {@code sync.gapDelay}, when gossip has had time to bring what is late. Called on
   * the journal's thread; hands off at once.
   */
  public void lacking(String topic) {
    if (scheduler.isShutdown()) {
      return;
    }
    try {
      scheduler.execute(
          () -> {
            if (finalChecks.add(topic)) {
              scheduler.schedule(
                  () -> checkFinal(topic), config.gapDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /**
   * Asks a peer of {@code topic} for the final seqs this node still lacks. A seq once asked for is
   * not asked for again from live confirmations; the next catch-up retries what is still missing.
   */
  private void checkFinal(String topic) {
    finalChecks.remove(topic);
    var last = projections.lastFinal(topic);
    if (last.isEmpty()) {
      return;
    }
    long highest = last.get().seq();
    long from = Math.max(firstFinalLacking(topic), finalAskedThrough.getOrDefault(topic, -1L) + 1);
    if (from > highest) {
      return;
    }
    finalAskedThrough.put(topic, highest);
    gossip
        .topicPeers(topic)
        .whenComplete(
            (peers, failure) -> {
              if (failure != null || peers.isEmpty()) {
                return; // no one to ask now: the next catch-up asks
              }
              PeerId peer = peers.iterator().next();
              counters.increment(SyncCounter.GAPS_DETECTED);
              fetchers.execute(
                  () -> {
                    try {
                      catchUpFinal(peer, topic, new HashSet<>(), from);
                    } catch (RuntimeException e) {
                      LOG.warn("fetching final seqs of {} from {} failed", topic, peer, e);
                    }
                  });
            });
  }

  // ------------------------------------------------------------------ live gaps (scheduler)

  private void track(PeerId forwarder, String topic, byte[] origin, long seq) {
    OriginTopic key = new OriginTopic(HexFormat.of().formatHex(origin), topic);
    if (!live.keys().contains(key)) {
      live.holdThrough(key, projections.lastOriginSequence(topic, origin));
      askedThrough.put(key, -1L);
    }
    live.add(key, seq);
    if (!live.gaps(key, 1).isEmpty() && checkScheduled.add(key)) {
      scheduler.schedule(
          () -> check(key, forwarder, origin), config.gapDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void check(OriginTopic key, PeerId forwarder, byte[] origin) {
    checkScheduled.remove(key);
    long asked = askedThrough.getOrDefault(key, -1L);
    List<SeqRange> ranges = new ArrayList<>();
    long highest = live.highest(key);
    for (SeqRange r : live.gaps(key, 64)) {
      long from = Math.max(r.from(), Math.max(asked + 1, highest - config.maxBacklog() + 1));
      if (from <= r.to()) {
        ranges.add(new SeqRange(from, r.to()));
      }
    }
    if (ranges.isEmpty()) {
      return;
    }
    askedThrough.put(key, ranges.get(ranges.size() - 1).to());
    counters.add(SyncCounter.GAPS_DETECTED, ranges.size());
    fetchers.execute(
        () -> {
          for (SeqRange r : ranges) {
            if (!fetch(forwarder, key.topic(), origin, r, new HashSet<>())) {
              return;
            }
          }
        });
  }

  // ------------------------------------------------------------------ catch-up (fetch threads)

  private void catchUp(PeerId peer) {
    if (!catchingUp.add(peer)) {
      return;
    }
    try {
      for (String topic : List.copyOf(topics.get())) {
        // ids delivered or found already seen in this catch-up: the projections may not have
        // indexed them yet when the final-order step asks whether they are held
        Set<ByteBuffer> got = new HashSet<>();
        Answer answer = ask(peer, Request.heads(topic, MAX_HEADS));
        if (answer == null) {
          return; // the peer does not speak sync, or failed: journaled
        }
        for (Head head : answer.heads()) {
          if (!Arrays.equals(head.origin(), self) && head.highest() >= 0) {
            for (SeqRange r : missing(topic, head.origin(), head.highest())) {
              counters.increment(SyncCounter.GAPS_DETECTED);
              if (!fetch(peer, topic, head.origin(), r, got)) {
                return;
              }
            }
          }
        }
        if (!catchUpFinal(peer, topic, got, firstFinalLacking(topic))) {
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sync catch-up with {} failed", peer, e);
    } finally {
      catchingUp.remove(peer);
    }
  }

  /** What this node's origin index lacks of {@code origin} in {@code topic} up to {@code head}. */
  private List<SeqRange> missing(String topic, byte[] origin, long head) {
    long lo = Math.max(0, head - config.maxBacklog() + 1);
    SequenceGaps<String> held = new SequenceGaps<>();
    held.holdThrough("o", lo - 1);
    long from = lo;
    while (from <= head) {
      List<long[]> rows = projections.originRange(topic, origin, from, head, 10_000);
      for (long[] row : rows) {
        held.add("o", row[0]);
      }
      if (rows.size() < 10_000) {
        break;
      }
      from = rows.get(rows.size() - 1)[0] + 1;
    }
    return held.gaps("o", head, 1_000);
  }

  /**
   * Fetches {@code range} of {@code origin} in {@code topic} from {@code peer}, page by page.
   *
   * @return false when the peer failed or refused (stop asking it now)
   */
  private boolean fetch(
      PeerId peer, String topic, byte[] origin, SeqRange range, Set<ByteBuffer> got) {
    long from = range.from();
    while (from <= range.to()) {
      Request request =
          Request.byOrigin(
              topic,
              origin,
              from,
              range.to(),
              config.maxMessagesPerAnswer(),
              config.maxAnswerBytes());
      journalRequested(peer, topic, origin, from, range.to(), "by-origin");
      Answer answer = ask(peer, request);
      if (answer == null) {
        return false;
      }
      long last = deliver(peer, request, answer.entries(), null, got);
      if (last < 0) {
        return false; // nothing usable: a forger, or the peer lacks the range too
      }
      if (!answer.more() || last >= range.to()) {
        return true;
      }
      from = last + 1;
    }
    return true;
  }

  // ------------------------------------------------------------------ by final seq (fetch threads)

  /**
   * Asks {@code peer} which finalized messages of {@code topic} it holds from final seq {@code
   * from} on (at most {@code sync.maxBacklog} below the peer's highest), and fetches by range every
   * one this node lacks.
   *
   * @return false when the peer failed or refused (stop asking it now)
   */
  private boolean catchUpFinal(PeerId peer, String topic, Set<ByteBuffer> got, long from) {
    boolean windowed = false;
    while (true) {
      Answer listing =
          ask(
              peer,
              Request.finalIds(topic, 0, from, Long.MAX_VALUE, 65_535, config.maxAnswerBytes()));
      if (listing == null) {
        return false;
      }
      if (listing.finalHead() < from) {
        return true; // nothing final there this node lacks
      }
      long low = listing.finalHead() - config.maxBacklog() + 1;
      if (!windowed && low > from) {
        windowed = true;
        from = low;
        continue;
      }
      windowed = true;
      Map<Long, SyncWire.Final> listed = new HashMap<>();
      List<SeqRange> runs = new ArrayList<>();
      long runFrom = -1;
      long runTo = -1;
      for (SyncWire.Final f : listing.finals()) {
        if (f.seq() < from || f.seq() <= runTo) {
          continue; // not what was asked, or out of order: ignored
        }
        boolean held =
            got.contains(ByteBuffer.wrap(f.messageId()))
                || projections.messageIndex(f.messageId()).isPresent();
        if (held) {
          if (runFrom >= 0) {
            runs.add(new SeqRange(runFrom, runTo));
            runFrom = -1;
          }
          continue;
        }
        listed.put(f.seq(), f);
        if (runFrom < 0) {
          runFrom = f.seq();
        }
        runTo = f.seq();
      }
      if (runFrom >= 0) {
        runs.add(new SeqRange(runFrom, runTo));
      }
      counters.add(SyncCounter.GAPS_DETECTED, runs.size());
      for (SeqRange run : runs) {
        if (!fetchFinal(peer, topic, run, listed, got)) {
          return false;
        }
      }
      if (!listing.more() || listing.finalThrough() < from) {
        return true; // done, or a peer that does not move on: ask it no further
      }
      // a page can list nothing this node lacks, or nothing at all (the peer holds none of
      // those messages): go on after what it covered
      from = listing.finalThrough() + 1;
    }
  }

  /**
   * The lowest final seq of {@code topic} (at most {@code sync.maxBacklog} below this node's
   * highest) for which this node's journal holds no confirmation or no message: where a peer's
   * final order can first have something for it.
   */
  private long firstFinalLacking(String topic) {
    var last = projections.lastFinal(topic);
    if (last.isEmpty()) {
      return 0;
    }
    long expected =
        Math.max(
            heldFinalThrough.getOrDefault(topic, -1L) + 1,
            Math.max(0, last.get().seq() - config.maxBacklog() + 1));
    while (expected <= last.get().seq()) {
      List<FinalEntry> rows = projections.finalOrder(topic, expected, 10_000);
      boolean lacking = false;
      for (FinalEntry row : rows) {
        if (row.seq() != expected || projections.messageIndex(row.messageId()).isEmpty()) {
          lacking = true;
          break;
        }
        expected++;
      }
      if (lacking || rows.size() < 10_000) {
        break;
      }
    }
    heldFinalThrough.merge(topic, expected - 1, Math::max);
    return expected;
  }

  /**
   * Fetches the final seqs {@code run} of {@code topic} from {@code peer}, page by page; each entry
   * must be the message {@code listed} at its seq.
   *
   * @return false when the peer failed or refused
   */
  private boolean fetchFinal(
      PeerId peer,
      String topic,
      SeqRange run,
      Map<Long, SyncWire.Final> listed,
      Set<ByteBuffer> got) {
    long from = run.from();
    while (from <= run.to()) {
      Request request =
          Request.byRange(
              topic, 0, from, run.to(), config.maxMessagesPerAnswer(), config.maxAnswerBytes());
      journalRequested(peer, topic, null, from, run.to(), "by-range");
      Answer answer = ask(peer, request);
      if (answer == null) {
        return false;
      }
      long last = deliver(peer, request, answer.entries(), listed, got);
      if (last < 0) {
        return false;
      }
      if (!answer.more() || last >= run.to()) {
        return true;
      }
      from = last + 1;
    }
    return true;
  }

  /** Why an entry of a by-range answer is not what was asked, or null. */
  private static String wrongByRange(
      Request request, Entry e, SignedMessage m, Map<Long, SyncWire.Final> listed) {
    SyncWire.Final f = listed.get(e.sequence());
    if (e.sequence() < request.from() || e.sequence() > request.to()) {
      return "final seq " + e.sequence() + " is not in the range asked";
    }
    if (f == null || !Arrays.equals(f.messageId(), e.messageId())) {
      return "not the message listed at final seq " + e.sequence();
    }
    if (!request.topic().equals(m.topic())) {
      return "topic is not the one asked";
    }
    return null;
  }

  /** Why an entry of a by-origin answer is not what was asked, or null. */
  private static String wrongByOrigin(Request request, Entry e, SignedMessage m) {
    long seq = EnvelopeSequence.of(m.data());
    if (!request.topic().equals(m.topic())) {
      return "topic is not the one asked";
    }
    if (!Arrays.equals(request.origin(), m.from())) {
      return "origin is not the one asked";
    }
    if (seq != e.sequence() || seq < request.from() || seq > request.to()) {
      return "envelope sequence " + seq + " is not the one claimed or asked";
    }
    return null;
  }

  /**
   * Checks each entry against the request (by range: against the ids {@code listed} per final seq;
   * by origin when null), hands the good ones to the router, journals the outcome and adds the ids
   * delivered or already seen to {@code got}.
   *
   * @return the highest sequence delivered or duplicate, -1 when none
   */
  private long deliver(
      PeerId peer,
      Request request,
      List<Entry> entries,
      Map<Long, SyncWire.Final> listed,
      Set<ByteBuffer> got) {
    boolean byRange = request.kind() == SyncWire.Kind.BY_RANGE;
    List<SignedMessage> good = new ArrayList<>(entries.size());
    List<byte[]> ids = new ArrayList<>(entries.size());
    List<Long> seqs = new ArrayList<>(entries.size());
    long last = -1;
    for (Entry e : entries) {
      String wrong = null;
      SignedMessage m = null;
      try {
        m = SignedMessage.decode(e.message(), config.maxAnswerBytes());
      } catch (IllegalArgumentException ex) {
        wrong = "undecodable message: " + ex.getMessage();
      }
      if (m != null) {
        wrong = byRange ? wrongByRange(request, e, m, listed) : wrongByOrigin(request, e, m);
      }
      if (wrong != null) {
        gossip.rejectSynced(peer, request.topic(), e.messageId(), "sync: " + wrong);
        counters.increment(SyncCounter.MESSAGES_REFUSED);
        journalRefused(peer, request.topic(), e.messageId(), wrong);
        continue;
      }
      good.add(m);
      ids.add(e.messageId());
      seqs.add(e.sequence());
    }
    if (good.isEmpty()) {
      return -1;
    }
    List<SyncVerdict> verdicts;
    try {
      verdicts =
          gossip
              .deliverSynced(peer, good, ids)
              .get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException | TimeoutException e) {
      counters.increment(SyncCounter.REQUESTS_FAILED);
      return -1;
    }
    for (int i = 0; i < verdicts.size(); i++) {
      switch (verdicts.get(i)) {
        case DELIVERED -> {
          counters.increment(SyncCounter.MESSAGES_FILLED);
          long epoch = byRange ? listed.get(seqs.get(i)).epoch() : Event.ABSENT;
          journalFilled(peer, request.topic(), ids.get(i), good.get(i).from(), seqs.get(i), epoch);
          got.add(ByteBuffer.wrap(ids.get(i)));
          last = Math.max(last, seqs.get(i));
        }
        case DUPLICATE -> {
          got.add(ByteBuffer.wrap(ids.get(i)));
          last = Math.max(last, seqs.get(i));
        }
        case INVALID -> {
          counters.increment(SyncCounter.MESSAGES_REFUSED);
          journalRefused(
              peer, request.topic(), ids.get(i), "refused by the router (see its REJECT_MESSAGE)");
        }
        case IGNORED -> {
          counters.increment(SyncCounter.MESSAGES_REFUSED);
          journalRefused(peer, request.topic(), ids.get(i), "ignored by the topic's validator");
        }
        case NOT_SUBSCRIBED -> {}
      }
    }
    return last;
  }

  // ------------------------------------------------------------------ requests

  /**
   * Sends {@code request} to {@code peer} and waits for the answer; null (journaled) on failure.
   */
  private Answer ask(PeerId peer, Request request) {
    counters.increment(SyncCounter.REQUESTS_SENT);
    String failure;
    try {
      Answer a =
          request(peer, request)
              .get(config.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (a.status() == Status.OK) {
        return a;
      }
      failure = a.status() + ": " + a.text();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      failure = String.valueOf(e.getCause());
    } catch (TimeoutException e) {
      failure = "no answer within sync.requestTimeout";
    }
    counters.increment(SyncCounter.REQUESTS_FAILED);
    journalRefused(peer, request.topic(), null, request.kind() + " refused: " + failure);
    return null;
  }

  private CompletableFuture<Answer> request(PeerId peer, Request request) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    host.newStream(peer, PROTOCOL)
        .whenComplete(
            (stream, failure) -> {
              if (failure != null) {
                answer.completeExceptionally(failure);
                return;
              }
              stream.setMessageListener(
                  config.maxAnswerBytes() + 1024,
                  new MessageListener() {
                    @Override
                    public void onMessage(ProtocolStream s, byte[] message) {
                      counters.add(SyncCounter.BYTES_IN, message.length);
                      try {
                        answer.complete(SyncWire.decodeAnswer(request.kind(), message));
                      } catch (IllegalArgumentException e) {
                        answer.completeExceptionally(
                            new IllegalArgumentException("malformed answer: " + e.getMessage()));
                      }
                      s.reset();
                    }

                    @Override
                    public void onRemoteClose(ProtocolStream s) {
                      answer.completeExceptionally(new IllegalStateException("closed unanswered"));
                    }

                    @Override
                    public void onReset(ProtocolStream s) {
                      answer.completeExceptionally(new IllegalStateException("stream reset"));
                    }
                  });
              stream.writeMessage(SyncWire.encode(request));
            });
    // Our own scheduler, not orTimeout: its JDK-wide timer thread would outlive the node.
    java.util.concurrent.ScheduledFuture<?> timeout =
        scheduler.schedule(
            () -> answer.completeExceptionally(new TimeoutException("sync.requestTimeout")),
            config.requestTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    answer.whenComplete((a, e) -> timeout.cancel(false));
    return answer;
  }

  // ------------------------------------------------------------------ journal

  private void journalRequested(
      PeerId peer, String topic, byte[] origin, long from, long to, String how) {
    long n = to - from + 1;
    Event e =
        new Event()
            .type(EventType.GAP_SYNC_REQUESTED)
            .timeNanos(wallNanos.getAsLong())
            .peer(peer.bytes())
            .topic(topic)
            .value(from)
            .size((int) Math.min(Integer.MAX_VALUE, n <= 0 ? Integer.MAX_VALUE : n))
            .text(how);
    if (origin != null) {
      e.origin(origin);
    }
    sink.publish(e);
  }

  /**
   * GAP_SYNC_FILLED: {@code seq} is the envelope sequence (by origin, {@code epoch} absent) or the
   * final seq the source listed the message at (by range, with its epoch).
   */
  private void journalFilled(
      PeerId peer, String topic, byte[] id, byte[] origin, long seq, long epoch) {
    Event e =
        new Event()
            .type(EventType.GAP_SYNC_FILLED)
            .timeNanos(wallNanos.getAsLong())
            .peer(peer.bytes())
            .topic(topic)
            .messageId(id)
            .origin(origin)
            .value(seq)
            .text(epoch == Event.ABSENT ? "by-origin" : "by-range");
    if (epoch != Event.ABSENT) {
      e.epoch(epoch);
    }
    sink.publish(e);
  }

  private void journalRefused(PeerId peer, String topic, byte[] id, String reason) {
    sink.publish(
        new Event()
            .type(EventType.GAP_SYNC_REFUSED)
            .timeNanos(wallNanos.getAsLong())
            .peer(peer.bytes())
            .topic(topic)
            .messageId(id)
            .text(reason));
  }

  /** Stops asking; fetches in progress end within a request timeout. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    fetchers.shutdownNow();
    try {
      fetchers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
