package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import io.meshlog.jmx.view.LatencySnapshot;
import io.meshlog.jmx.view.LatencyView;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Live delivery latencies per topic and per forwarding peer, from the journal's DELIVER_MESSAGE
 * records that carry the publisher's time ({@code value}): latency = the record's time less that
 * time. A negative difference (the publisher's clock ahead of ours) is counted in {@link #skewed()}
 * and not recorded. Each distribution is a {@link LatencyWindow}.
 *
 * <p>Bounded: at most {@link #MAX_KEYS} topics and as many peers are tracked (later ones are not,
 * and {@link #untracked()} counts their samples); a peer is forgotten when it is removed.
 *
 * <p>Threading: {@link #record} and {@link #forgetPeer} run on one journal consumer thread (that of
 * {@link LiveMeshState}); a known topic or peer costs no allocation there. Readers are thread-safe.
 */
public final class LiveLatencies implements LatencyView {

  /**
   * Topics and peers tracked at most, each. One tracked topic or peer holds six HdrHistograms of
   * about 28 KB (1 µs to 1 h at 2 digits): about 170 KB, so the worst case is about 90 MB.
   */
  public static final int MAX_KEYS = 256;

  private final Map<String, LatencyWindow> topics = new ConcurrentHashMap<>();
  private final Map<PeerKey, LatencyWindow> peers = new ConcurrentHashMap<>();
  private final PeerKey probe = new PeerKey(); // writer thread only
  private final LongSupplier clock;
  private volatile long skewed;
  private volatile long untracked;

  public LiveLatencies() {
    this(System::nanoTime);
  }

  /** With {@code clock} as the monotonic time that moves the windows (tests). */
  LiveLatencies(LongSupplier clock) {
    this.clock = clock;
  }

  /** Records the latency of one DELIVER_MESSAGE; other records are ignored. */
  void record(Event e) {
    if (e.value() == Event.ABSENT || e.topic() == null) {
      return;
    }
    long nanos = e.timeNanos() - e.value();
    if (nanos < 0) {
      skewed = skewed + 1;
      return;
    }
    LatencyWindow topic = topics.get(e.topic());
    if (topic == null && topics.size() < MAX_KEYS) {
      topic = topics.computeIfAbsent(e.topic(), t -> new LatencyWindow());
    }
    record(topic, nanos);
    if (e.peer() != null) {
      LatencyWindow peer = peers.get(probe.of(e.peer()));
      if (peer == null && peers.size() < MAX_KEYS) {
        peer = peers.computeIfAbsent(new PeerKey().of(e.peer().clone()), p -> new LatencyWindow());
      }
      record(peer, nanos);
    }
  }

  private void record(LatencyWindow w, long nanos) {
    if (w == null) {
      untracked = untracked + 1;
    } else {
      w.record(nanos);
    }
  }

  /** Drops a removed peer's distribution. */
  void forgetPeer(byte[] peer) {
    if (peer != null) {
      peers.remove(probe.of(peer));
    }
  }

  @Override
  public Optional<LatencySnapshot> topic(String topic) {
    LatencyWindow w = topics.get(topic);
    return w == null ? Optional.empty() : Optional.of(w.read(clock.getAsLong()));
  }

  @Override
  public Optional<LatencySnapshot> peer(String peerId) {
    byte[] id;
    try {
      id = Base58.decode(peerId);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    LatencyWindow w = peers.get(new PeerKey().of(id));
    return w == null ? Optional.empty() : Optional.of(w.read(clock.getAsLong()));
  }

  /** Deliveries whose publisher's time was ahead of the receipt time (clock skew), not recorded. */
  public long skewed() {
    return skewed;
  }

  /** Samples not recorded per topic or peer because {@link #MAX_KEYS} were tracked already. */
  public long untracked() {
    return untracked;
  }

  /** A peer id's bytes as a map key; the probe instance is re-pointed, never stored. */
  private static final class PeerKey {
    private byte[] bytes;
    private int hash;

    PeerKey of(byte[] b) {
      bytes = b;
      hash = Arrays.hashCode(b);
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PeerKey && Arrays.equals(bytes, ((PeerKey) o).bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
