package io.meshlog.node.discovery;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventSink;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.node.discovery.internal.RendezvousCodec;
import io.meshlog.node.discovery.internal.RendezvousMessage;
import io.meshlog.node.discovery.internal.RendezvousMessage.Discover;
import io.meshlog.node.discovery.internal.RendezvousMessage.DiscoverResponse;
import io.meshlog.node.discovery.internal.RendezvousMessage.Register;
import io.meshlog.node.discovery.internal.RendezvousMessage.RegisterResponse;
import io.meshlog.node.p2p.Host;
import io.meshlog.node.p2p.InvalidRecordException;
import io.meshlog.node.p2p.MessageListener;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRateLimit;
import io.meshlog.node.p2p.PeerRecord;
import io.meshlog.node.p2p.ProtocolStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory role: serves {@code /rendezvous/1.0.0} so that peers register in namespaces (their
 * gossipsub topics) and discover each other. Any libp2p implementation's rendezvous client can use
 * it.
 *
 * <pre>
 *   stream ─► decode (≤ 64 KiB) ─► REGISTER   ─► rate ─► checks ─► table.put ─► journal ─► OK
 *                                  UNREGISTER ─► table.remove ─► journal (no answer)
 *                                  DISCOVER   ─► rate ─► table.find(ns, cookie, limit) ─► answer
 *   start: table = replay(journal)         every second: expire lapsed, journal them
 * </pre>
 *
 * <p>A REGISTER is accepted only with a signed peer record that verifies and names the peer that
 * sent it; the TTL must lie in {@code directory.minTtl..maxTtl}, the namespace be at most {@code
 * directory.maxNamespaceLength} bytes, and the per-peer, per-namespace and total limits hold. Each
 * refusal gets the spec's status, is journaled as DIRECTORY_REFUSED, and touches nothing else.
 * REGISTERs and DISCOVERs are each rate limited per peer ({@code directory.registerRate}/{@code
 * registerBurst}, {@code directory.discoverRate}/{@code discoverBurst}): beyond, E_UNAVAILABLE,
 * before any signature is checked, and journaled at most once a second per peer. Every accepted
 * registration is journaled with its record, so a directory killed with SIGKILL rebuilds the same
 * table at start ({@link RegistrationTable#replay}).
 *
 * <p>Thread-safe: requests arrive on I/O threads and are served one at a time under this object's
 * lock (a signature check and a map update; no I/O but the journal's non-blocking publish).
 */
public final class DirectoryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryService.class);

  private final DiscoveryConfig config;
  private final EventSink sink;
  private final LongSupplier clock;
  private final RegistrationTable table;
  private final PeerRateLimit discoverRate;
  private final PeerRateLimit registerRate;
  private final ScheduledExecutorService sweeper;
  private final LongAdder registered = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder discovers = new LongAdder();
  private long lastNumber;

  private DirectoryService(
      DiscoveryConfig config, EventSink sink, LongSupplier clock, RegistrationTable table) {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.table = table;
    this.lastNumber = table.lastNumber();
    this.discoverRate = new PeerRateLimit(config.discoverRate(), config.discoverBurst());
    this.registerRate = new PeerRateLimit(config.registerRate(), config.registerBurst());
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meshlog-directory");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Rebuilds the registrations from {@code history} (the node's own journal, read to its end, then
   * closed), serves {@link Rendezvous#PROTOCOL} on {@code host} and starts expiring lapsed rows.
   *
   * @param clock wall time in epoch nanoseconds
   */
  public static DirectoryService start(
      Host host,
      DiscoveryConfig config,
      EventSink sink,
      JournalReader history,
      LongSupplier clock) {
    RegistrationTable table;
    try (history) {
      table = RegistrationTable.replay(history, clock.getAsLong());
    }
    DirectoryService service = new DirectoryService(config, sink, clock, table);
    LOG.info("directory rebuilt {} registrations from the journal", table.size());
    host.handle(Rendezvous.PROTOCOL, service::serve);
    service.sweeper.scheduleWithFixedDelay(service::sweep, 1, 1, TimeUnit.SECONDS);
    return service;
  }

  private void serve(ProtocolStream stream) {
    stream.setMessageListener(
        Rendezvous.MAX_REQUEST_BYTES,
        new MessageListener() {
          @Override
          public void onMessage(ProtocolStream s, byte[] bytes) {
            answer(s, bytes);
          }

          @Override
          public void onRemoteClose(ProtocolStream s) {
            s.closeWrite(); // the client is done: close our side so the stream is released
          }
        });
  }

  private void answer(ProtocolStream s, byte[] bytes) {
    RendezvousMessage request;
    try {
      request = RendezvousCodec.decode(bytes, 0);
    } catch (RendezvousCodec.MalformedException e) {
      reject(s, e.getMessage());
      return;
    }
    RendezvousMessage answer;
    try {
      answer = handle(s.remotePeer(), request);
    } catch (RuntimeException e) {
      LOG.warn("rendezvous request from {} failed", s.remotePeer(), e);
      answer = internalError(request, e.toString());
    }
    if (answer == RendezvousMessage.UNSUPPORTED) {
      reject(s, "message type " + request.type() + " is not a request");
    } else if (answer != null) {
      s.writeMessage(RendezvousCodec.encode(answer));
    }
  }

  private void reject(ProtocolStream s, String reason) {
    sink.publish(
        new Event()
            .type(EventType.INPUT_REJECTED)
            .timeNanos(clock.getAsLong())
            .peer(s.remotePeer().bytes())
            .text("rendezvous: " + reason));
    s.reset();
  }

  /** One request from {@code from}; the answer, null for none (UNREGISTER). */
  synchronized RendezvousMessage handle(PeerId from, RendezvousMessage m) {
    long now = clock.getAsLong();
    return switch (m.type()) {
      case RendezvousMessage.REGISTER -> RendezvousMessage.of(register(from, m.register(), now));
      case RendezvousMessage.UNREGISTER -> {
        String ns = m.unregister().ns();
        if (ns != null && table.remove(from, ns) != null) {
          journalUnregistered(from, ns, "unregister", now);
        }
        yield null;
      }
      case RendezvousMessage.DISCOVER -> RendezvousMessage.of(discover(from, m.discover(), now));
      default -> RendezvousMessage.UNSUPPORTED;
    };
  }

  private RegisterResponse register(PeerId from, Register r, long now) {
    String ns = r.ns();
    // Before anything is checked: a flood costs neither a signature check nor a journal record.
    if (overRate(registerRate, config.registerRate(), "REGISTER", from, ns, now)) {
      return new RegisterResponse(
          RendezvousStatus.E_UNAVAILABLE.code(), "register rate exceeded", 0);
    }
    if (ns == null || ns.isEmpty() || utf8Length(ns) > config.maxNamespaceLength()) {
      return refuseRegister(
          from,
          ns,
          RendezvousStatus.E_INVALID_NAMESPACE,
          "namespace must be 1.." + config.maxNamespaceLength() + " bytes",
          now);
    }
    long ttl = r.ttl() == 0 ? Rendezvous.DEFAULT_TTL_SECONDS : r.ttl();
    if (ttl < config.minTtl().getSeconds() || ttl > config.maxTtl().getSeconds()) {
      return refuseRegister(
          from,
          ns,
          RendezvousStatus.E_INVALID_TTL,
          "ttl "
              + Long.toUnsignedString(ttl)
              + "s outside "
              + config.minTtl().getSeconds()
              + ".."
              + config.maxTtl().getSeconds()
              + "s",
          now);
    }
    if (r.signedPeerRecord() == null) {
      return refuseRegister(
          from, ns, RendezvousStatus.E_INVALID_SIGNED_PEER_RECORD, "no signed peer record", now);
    }
    PeerRecord record;
    try {
      record = PeerRecord.open(r.signedPeerRecord());
    } catch (InvalidRecordException e) {
      return refuseRegister(
          from, ns, RendezvousStatus.E_INVALID_SIGNED_PEER_RECORD, e.getMessage(), now);
    }
    if (!record.peerId().equals(from)) {
      return refuseRegister(
          from,
          ns,
          RendezvousStatus.E_NOT_AUTHORIZED,
          "record is for " + record.peerId() + ", not the sender",
          now);
    }
    boolean refresh = table.get(from, ns) != null;
    if (!refresh) {
      if (table.countOf(from) >= config.maxRegistrationsPerPeer()) {
        return refuseRegister(
            from,
            ns,
            RendezvousStatus.E_NOT_AUTHORIZED,
            "peer holds " + config.maxRegistrationsPerPeer() + " registrations already",
            now);
      }
      if (table.countIn(ns) >= config.maxRegistrationsPerNamespace()) {
        return refuseRegister(
            from,
            ns,
            RendezvousStatus.E_UNAVAILABLE,
            "namespace holds " + config.maxRegistrationsPerNamespace() + " registrations already",
            now);
      }
      if (table.size() >= config.maxRegistrations()) {
        return refuseRegister(
            from,
            ns,
            RendezvousStatus.E_UNAVAILABLE,
            "directory holds " + config.maxRegistrations() + " registrations already",
            now);
      }
    }
    long number = ++lastNumber;
    byte[] envelope = r.signedPeerRecord();
    table.put(
        new Registration(
            from, ns, record.addresses(), now, now + ttl * 1_000_000_000L, number, envelope));
    registered.increment();
    sink.publish(
        new Event()
            .type(EventType.DIRECTORY_REGISTERED)
            .timeNanos(now)
            .peer(from.bytes())
            .topic(ns)
            .value(ttl)
            .originSeqno(number)
            .data(envelope)
            .text(refresh ? "refresh" : "new"));
    return new RegisterResponse(RendezvousStatus.OK.code(), null, ttl);
  }

  private RegisterResponse refuseRegister(
      PeerId from, String ns, RendezvousStatus status, String reason, long now) {
    journalRefused(from, ns, status, "REGISTER: " + reason, now);
    return new RegisterResponse(status.code(), reason, 0);
  }

  private DiscoverResponse discover(PeerId from, Discover d, long now) {
    String ns = d.ns() == null || d.ns().isEmpty() ? null : d.ns();
    if (overRate(discoverRate, config.discoverRate(), "DISCOVER", from, ns, now)) {
      return refuseDiscover(RendezvousStatus.E_UNAVAILABLE, "discover rate exceeded");
    }
    if (ns != null && utf8Length(ns) > config.maxNamespaceLength()) {
      String why = "namespace longer than " + config.maxNamespaceLength() + " bytes";
      journalRefused(from, ns, RendezvousStatus.E_INVALID_NAMESPACE, "DISCOVER: " + why, now);
      return refuseDiscover(RendezvousStatus.E_INVALID_NAMESPACE, why);
    }
    long after = 0;
    if (d.cookie() != null && d.cookie().length > 0) {
      after = Rendezvous.cookieNumber(d.cookie(), ns);
      if (after < 0) {
        String why = "cookie was not issued for this namespace";
        journalRefused(from, ns, RendezvousStatus.E_INVALID_COOKIE, "DISCOVER: " + why, now);
        return refuseDiscover(RendezvousStatus.E_INVALID_COOKIE, why);
      }
    }
    int limit =
        d.limit() <= 0 || d.limit() > config.maxDiscoverLimit()
            ? config.maxDiscoverLimit()
            : (int) d.limit();
    List<Registration> found = table.find(ns, after, limit, now);
    List<Register> out = new ArrayList<>(found.size());
    for (Registration r : found) {
      out.add(new Register(r.topic(), r.signedPeerRecord(), r.ttlSecondsAt(now)));
    }
    long upTo =
        found.size() == limit ? found.get(found.size() - 1).number() : Math.max(after, lastNumber);
    discovers.increment();
    sink.publish(
        new Event()
            .type(EventType.DIRECTORY_DISCOVER_ANSWERED)
            .timeNanos(now)
            .peer(from.bytes())
            .topic(ns)
            .value(found.size()));
    return new DiscoverResponse(out, Rendezvous.cookie(upTo, ns), RendezvousStatus.OK.code(), null);
  }

  private static DiscoverResponse refuseDiscover(RendezvousStatus status, String reason) {
    return new DiscoverResponse(List.of(), null, status.code(), reason);
  }

  private RendezvousMessage internalError(RendezvousMessage request, String why) {
    return switch (request.type()) {
      case RendezvousMessage.REGISTER ->
          RendezvousMessage.of(
              new RegisterResponse(RendezvousStatus.E_INTERNAL_ERROR.code(), why, 0));
      case RendezvousMessage.DISCOVER ->
          RendezvousMessage.of(refuseDiscover(RendezvousStatus.E_INTERNAL_ERROR, why));
      default -> null;
    };
  }

  /**
   * Whether {@code limit} refuses this {@code request} of {@code from}. Refusals are counted each,
   * and journaled at most once a second per peer with how many they stand for, so a flood cannot
   * flood the journal.
   */
  private boolean overRate(
      PeerRateLimit limit, double rate, String request, PeerId from, String ns, long now) {
    if (limit.tryAcquire(from, now)) {
      return false;
    }
    long n = limit.journalRefusal(from, now);
    if (n > 0) {
      String why = request + ": rate above " + rate + "/s (" + n + " refused)";
      journalRefused(from, ns, RendezvousStatus.E_UNAVAILABLE, why, now);
    } else {
      refused.increment();
    }
    return true;
  }

  private void journalRefused(
      PeerId from, String ns, RendezvousStatus status, String reason, long now) {
    refused.increment();
    sink.publish(
        new Event()
            .type(EventType.DIRECTORY_REFUSED)
            .timeNanos(now)
            .peer(from.bytes())
            .topic(ns == null ? null : truncate(ns))
            .value(status.code())
            .text(status + " " + reason));
  }

  private void journalUnregistered(PeerId peer, String ns, String reason, long now) {
    sink.publish(
        new Event()
            .type(EventType.DIRECTORY_UNREGISTERED)
            .timeNanos(now)
            .peer(peer.bytes())
            .topic(ns)
            .text(reason));
  }

  private void sweep() {
    // Loop boundary of the sweeper thread: one failure must not stop expiry for good.
    try {
      synchronized (this) {
        long now = clock.getAsLong();
        for (Registration r : table.expire(now)) {
          journalUnregistered(r.peer(), r.topic(), "expired", now);
        }
        discoverRate.sweep(now);
        registerRate.sweep(now);
      }
    } catch (RuntimeException e) {
      LOG.warn("directory sweep failed; retrying in a second", e);
    }
  }

  /** A refused namespace may be huge; the journal keeps its first 256 characters. */
  private static String truncate(String ns) {
    return ns.length() <= 256 ? ns : ns.substring(0, 256);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  // --- the operator's view (JMX, tests)

  /** The live registrations in {@code topic}, in registration order. */
  public synchronized List<Registration> registrations(String topic) {
    long now = clock.getAsLong();
    return table.topic(topic).stream().filter(r -> r.expiresAtNanos() > now).toList();
  }

  /** The topics with registrations. */
  public synchronized List<String> topics() {
    return table.topics();
  }

  /** Registrations held now. */
  public synchronized int size() {
    return table.size();
  }

  /** What a DISCOVER of {@code topic} would answer now, ignoring rate limits. */
  public synchronized List<Registration> discover(String topic) {
    return table.find(topic, 0, config.maxDiscoverLimit(), clock.getAsLong());
  }

  /**
   * Removes {@code peer}'s registration in {@code topic} (journaled with reason {@code operator}).
   *
   * @return whether there was one
   */
  public synchronized boolean unregister(PeerId peer, String topic) {
    long now = clock.getAsLong();
    if (table.remove(peer, topic) == null) {
      return false;
    }
    journalUnregistered(peer, topic, "operator", now);
    return true;
  }

  /** REGISTERs accepted since start. */
  public long registrationsAccepted() {
    return registered.sum();
  }

  /** REGISTERs and DISCOVERs refused since start. */
  public long requestsRefused() {
    return refused.sum();
  }

  /** DISCOVERs answered since start. */
  public long discoversAnswered() {
    return discovers.sum();
  }

  /** Stops expiring; the protocol handler goes with the host. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      sweeper.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
