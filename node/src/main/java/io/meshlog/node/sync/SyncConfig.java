package io.meshlog.node.sync;

import static io.meshlog.eventlog.config.SettingValues.require;

import java.time.Duration;

/**
 * Settings of gap sync, each declared once in {@link SyncSettings}; the table in {@code
 * docs/sync.md} (and {@code docs/node.md}) is generated from there.
 *
 * @param enabled {@code sync.enabled}: serve {@code /meshlog/sync/1.0.0} and fetch gaps
 * @param maxMessagesPerAnswer {@code sync.maxMessagesPerAnswer}: most messages in one answer, as
 *     server and as the cap a client asks for
 * @param maxAnswerBytes {@code sync.maxAnswerBytes}: largest answer, as server (stops adding
 *     messages before it) and as client (a larger one resets the stream)
 * @param requestRate {@code sync.requestRate}: requests per second one peer may send
 * @param requestBurst {@code sync.requestBurst}: requests one peer may send at once
 * @param maxConcurrentServes {@code sync.maxConcurrentServes}: answers being built at once, from
 *     all peers; beyond it a request is answered BUSY
 * @param maxConcurrentFetches {@code sync.maxConcurrentFetches}: this node's requests in flight
 * @param requestTimeout {@code sync.requestTimeout}: a request without an answer in this time fails
 * @param gapDelay {@code sync.gapDelay}: how long a gap seen in live gossip may stay open (out of
 *     order arrivals close most) before it is asked for
 * @param maxBacklog {@code sync.maxBacklog}: most messages of one origin fetched below its head
 */
public record SyncConfig(
    boolean enabled,
    int maxMessagesPerAnswer,
    int maxAnswerBytes,
    double requestRate,
    int requestBurst,
    int maxConcurrentServes,
    int maxConcurrentFetches,
    Duration requestTimeout,
    Duration gapDelay,
    int maxBacklog) {

  /** Largest request a server reads (a request is at most ~1.3 KiB: topic up to 1024 bytes). */
  public static final int MAX_REQUEST_BYTES = 2048;

  public static SyncConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * @throws IllegalArgumentException naming the first bad key
   */
  public SyncConfig validate() {
    require(
        maxMessagesPerAnswer >= 1 && maxMessagesPerAnswer <= 65_535,
        "sync.maxMessagesPerAnswer",
        maxMessagesPerAnswer,
        "must be 1..65535");
    require(
        maxAnswerBytes >= 64 * 1024 && maxAnswerBytes <= 64 << 20,
        "sync.maxAnswerBytes",
        maxAnswerBytes,
        "must be 64k..64m");
    require(requestRate > 0, "sync.requestRate", requestRate, "must be > 0");
    require(requestBurst >= 1, "sync.requestBurst", requestBurst, "must be >= 1");
    require(
        maxConcurrentServes >= 1 && maxConcurrentServes <= 64,
        "sync.maxConcurrentServes",
        maxConcurrentServes,
        "must be 1..64");
    require(
        maxConcurrentFetches >= 1 && maxConcurrentFetches <= 64,
        "sync.maxConcurrentFetches",
        maxConcurrentFetches,
        "must be 1..64");
    require(
        requestTimeout != null && requestTimeout.toMillis() >= 100,
        "sync.requestTimeout",
        requestTimeout,
        "must be >= 100ms");
    require(gapDelay != null && !gapDelay.isNegative(), "sync.gapDelay", gapDelay, "must be >= 0");
    require(maxBacklog >= 1, "sync.maxBacklog", maxBacklog, "must be >= 1");
    return this;
  }

  public Builder toBuilder() {
    return new Builder()
        .enabled(enabled)
        .maxMessagesPerAnswer(maxMessagesPerAnswer)
        .maxAnswerBytes(maxAnswerBytes)
        .requestRate(requestRate)
        .requestBurst(requestBurst)
        .maxConcurrentServes(maxConcurrentServes)
        .maxConcurrentFetches(maxConcurrentFetches)
        .requestTimeout(requestTimeout)
        .gapDelay(gapDelay)
        .maxBacklog(maxBacklog);
  }

  /** Builds a {@link SyncConfig}; every field starts at its documented default. */
  public static final class Builder {
    private boolean enabled = true;
    private int maxMessagesPerAnswer = 512;
    private int maxAnswerBytes = 4 << 20;
    private double requestRate = 20;
    private int requestBurst = 50;
    private int maxConcurrentServes = 4;
    private int maxConcurrentFetches = 3;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration gapDelay = Duration.ofSeconds(1);
    private int maxBacklog = 100_000;

    public Builder enabled(boolean v) {
      enabled = v;
      return this;
    }

    public Builder maxMessagesPerAnswer(int v) {
      maxMessagesPerAnswer = v;
      return this;
    }

    public Builder maxAnswerBytes(int v) {
      maxAnswerBytes = v;
      return this;
    }

    public Builder requestRate(double v) {
      requestRate = v;
      return this;
    }

    public Builder requestBurst(int v) {
      requestBurst = v;
      return this;
    }

    public Builder maxConcurrentServes(int v) {
      maxConcurrentServes = v;
      return this;
    }

    public Builder maxConcurrentFetches(int v) {
      maxConcurrentFetches = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder gapDelay(Duration v) {
      gapDelay = v;
      return this;
    }

    public Builder maxBacklog(int v) {
      maxBacklog = v;
      return this;
    }

    public SyncConfig build() {
      return new SyncConfig(
          enabled,
          maxMessagesPerAnswer,
          maxAnswerBytes,
          requestRate,
          requestBurst,
          maxConcurrentServes,
          maxConcurrentFetches,
          requestTimeout,
          gapDelay,
          maxBacklog);
    }
  }
}
