package io.meshlog.reconciliation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which sequence numbers of each stream a node holds, and so which it lacks: gap detection by
 * sequence arithmetic. A stream is whatever numbers its messages 0, 1, 2, ... without gaps at the
 * source — an origin's envelopes in one topic ({@link OriginTopic}), or a topic's final seqs.
 *
 * <pre>
 *   held:  0 1 2 3 . . 6 7 . 9        contiguous = 4 (every seq below it is held)
 *   gaps(upTo 9)  = [4..5, 8..8]      ranges above contiguous, between the held runs
 *   gaps(upTo 12) = [4..5, 8..8, 10..12]   a peer said it holds up to 12
 * </pre>
 *
 * <p>Memory is one entry per stream plus one per run of held numbers above the contiguous prefix,
 * whatever the size of a gap, so a stream whose source jumps far ahead costs one range, not one
 * entry per missing number.
 *
 * <p>Not thread-safe: one owner thread (or external locking).
 *
 * @param <K> the stream key; equal keys are the same stream
 */
public final class SequenceGaps<K> {

  /** An origin's envelopes in one topic. */
  public record OriginTopic(String origin, String topic) {}

  private static final class SeqStream {
    long contiguous; // every seq < contiguous is held
    final TreeMap<Long, Long> runs = new TreeMap<>(); // held runs above contiguous: from -> to

    long highest() {
      return runs.isEmpty() ? contiguous - 1 : runs.lastEntry().getValue();
    }
  }

  private final Map<K, SeqStream> streams = new HashMap<>();

  /**
   * Records that {@code seq} of {@code key} is held.
   *
   * @return true when it was not held before
   * @throws IllegalArgumentException when {@code seq} is negative
   */
  public boolean add(K key, long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + seq);
    }
    SeqStream s = streams.computeIfAbsent(key, k -> new SeqStream());
    if (seq < s.contiguous || isInRun(s, seq)) {
      return false;
    }
    long from = seq;
    long to = seq;
    Map.Entry<Long, Long> below = s.runs.floorEntry(seq - 1);
    if (below != null && below.getValue() == seq - 1) {
      from = below.getKey();
      s.runs.remove(from);
    }
    Long aboveTo = seq == Long.MAX_VALUE ? null : s.runs.remove(seq + 1);
    if (aboveTo != null) {
      to = aboveTo;
    }
    if (from == s.contiguous) {
      s.contiguous = to == Long.MAX_VALUE ? to : to + 1;
    } else {
      s.runs.put(from, to);
    }
    return true;
  }

  /**
   * Records every sequence from 0 through {@code seq} as held, at the cost of one step per held run
   * it swallows: for a stream this node is known to hold up to a point (from its journal).
   */
  public void holdThrough(K key, long seq) {
    if (seq < 0) {
      return;
    }
    SeqStream s = streams.computeIfAbsent(key, k -> new SeqStream());
    if (seq < s.contiguous) {
      return;
    }
    long next = seq == Long.MAX_VALUE ? seq : seq + 1;
    while (!s.runs.isEmpty() && s.runs.firstKey() <= next) {
      Map.Entry<Long, Long> run = s.runs.pollFirstEntry();
      next = Math.max(next, run.getValue() == Long.MAX_VALUE ? run.getValue() : run.getValue() + 1);
    }
    s.contiguous = next;
  }

  /** Records every sequence in {@code range} as held. */
  public void addAll(K key, SeqRange range) {
    for (long q = range.from(); q <= range.to() && q >= 0; q++) {
      add(key, q);
      if (q == Long.MAX_VALUE) {
        break;
      }
    }
  }

  private static boolean isInRun(SeqStream s, long seq) {
    Map.Entry<Long, Long> run = s.runs.floorEntry(seq);
    return run != null && run.getValue() >= seq;
  }

  /** Whether {@code seq} of {@code key} is held. */
  public boolean holds(K key, long seq) {
    SeqStream s = streams.get(key);
    return s != null && seq >= 0 && (seq < s.contiguous || isInRun(s, seq));
  }

  /** The highest sequence held of {@code key}, -1 when none. */
  public long highest(K key) {
    SeqStream s = streams.get(key);
    return s == null ? -1 : s.highest();
  }

  /**
   * The missing ranges of {@code key} from 0 up to {@code upTo} (the highest sequence known to
   * exist, e.g. the highest held, or a peer's head), lowest first, at most {@code maxRanges}.
   */
  public List<SeqRange> gaps(K key, long upTo, int maxRanges) {
    List<SeqRange> out = new ArrayList<>();
    SeqStream s = streams.get(key);
    long next = s == null ? 0 : s.contiguous;
    if (s != null) {
      for (Map.Entry<Long, Long> run : s.runs.entrySet()) {
        if (out.size() >= maxRanges || next > upTo) {
          return out;
        }
        long end = Math.min(run.getKey() - 1, upTo);
        if (end >= next) {
          out.add(new SeqRange(next, end));
        }
        next = run.getValue() + 1;
      }
    }
    if (out.size() < maxRanges && next <= upTo && next >= 0) {
      out.add(new SeqRange(next, upTo));
    }
    return out;
  }

  /** The missing ranges of {@code key} below its highest held sequence. */
  public List<SeqRange> gaps(K key, int maxRanges) {
    return gaps(key, highest(key), maxRanges);
  }

  /** How many sequences of {@code key} are missing below its highest held one. */
  public long missing(K key) {
    long n = 0;
    for (SeqRange r : gaps(key, Integer.MAX_VALUE)) {
      n += r.size();
    }
    return n;
  }

  /** Every stream known. */
  public java.util.Set<K> keys() {
    return java.util.Collections.unmodifiableSet(streams.keySet());
  }
}
