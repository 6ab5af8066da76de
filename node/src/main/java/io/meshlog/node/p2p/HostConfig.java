package io.meshlog.node.p2p;

import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link Host} can be told, with documented defaults ({@link #defaults()}), checked
 * once by {@link #validate()} at start. Build with {@link #builder()}.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>listenAddresses</td><td>/ip4/127.0.0.1/tcp/0</td><td>TCP addresses to listen on
 *     (ip4/ip6, port 0 = any free port); empty = dial only</td></tr>
 * <tr><td>agentVersion</td><td>meshlog/&lt;version&gt;</td><td>sent in identify</td></tr>
 * <tr><td>dialTimeout</td><td>10 s</td><td>TCP connect</td></tr>
 * <tr><td>handshakeTimeout</td><td>10 s</td><td>whole upgrade: multistream, Noise, multistream,
 *     Yamux</td></tr>
 * <tr><td>maxConnections</td><td>512</td><td>open connections, both directions; beyond it new
 *     ones are refused</td></tr>
 * <tr><td>maxStreamsPerConnection</td><td>512</td><td>concurrent Yamux streams per
 *     connection</td></tr>
 * <tr><td>maxMessageSize</td><td>4 MiB</td><td>the most a stream buffers before it has a
 *     listener (beyond it the stream is reset)</td></tr>
 * <tr><td>maxPendingWriteBytes</td><td>16 MiB</td><td>bytes queued on one stream beyond the
 *     remote's window before writes fail</td></tr>
 * <tr><td>pingInterval</td><td>15 s</td><td>how often every connection is pinged; 0 =
 *     never</td></tr>
 * <tr><td>pingTimeout</td><td>10 s</td><td>a ping not echoed in time fails</td></tr>
 * <tr><td>ioThreads</td><td>2</td><td>Netty event loop threads</td></tr>
 * <tr><td>closeGrace</td><td>5 s</td><td>how long a clean close waits for what streams wrote to
 *     leave and for peers to read it before connections close anyway; 0 = close at once</td></tr>
 * </table>
 */
public record HostConfig(
    List<String> listenAddresses,
    String agentVersion,
    Duration dialTimeout,
    Duration handshakeTimeout,
    int maxConnections,
    int maxStreamsPerConnection,
    int maxMessageSize,
    int maxPendingWriteBytes,
    Duration pingInterval,
    Duration pingTimeout,
    int ioThreads,
    Duration closeGrace) {

  /** The meshlog version, from the jar manifest when there is one. */
  public static final String VERSION = versionFromManifest();

  public HostConfig {
    listenAddresses = listenAddresses == null ? List.of() : List.copyOf(listenAddresses);
  }

  /** Every setting at its default. */
  public static HostConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Checks every setting.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public HostConfig validate() {
    for (String address : listenAddresses) {
      try {
        Multiaddr parsed = Multiaddr.parse(address);
        parsed.tcpPort();
      } catch (RuntimeException e) {
        throw bad("listenAddresses", address + " (" + e.getMessage() + ")");
      }
    }
    if (agentVersion == null || agentVersion.isBlank() || agentVersion.length() > 256) {
      throw bad("agentVersion", agentVersion);
    }
    positive("dialTimeout", dialTimeout);
    positive("handshakeTimeout", handshakeTimeout);
    atLeast("maxConnections", maxConnections, 1);
    atLeast("maxStreamsPerConnection", maxStreamsPerConnection, 4);
    atLeast("maxMessageSize", maxMessageSize, 1024);
    atLeast("maxPendingWriteBytes", maxPendingWriteBytes, maxMessageSize);
    if (pingInterval == null || pingInterval.isNegative()) {
      throw bad("pingInterval", pingInterval);
    }
    positive("pingTimeout", pingTimeout);
    atLeast("ioThreads", ioThreads, 1);
    if (closeGrace == null || closeGrace.isNegative()) {
      throw bad("closeGrace", closeGrace);
    }
    return this;
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw bad(key, value);
    }
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw bad(key, value + " (must be >= " + min + ")");
    }
  }

  private static IllegalArgumentException bad(String key, Object value) {
    return new IllegalArgumentException("invalid host config: " + key + " = " + value);
  }

  private static String versionFromManifest() {
    String v = HostConfig.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private List<String> listenAddresses = List.of("/ip4/127.0.0.1/tcp/0");
    private String agentVersion = "meshlog/" + VERSION;
    private Duration dialTimeout = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private int maxConnections = 512;
    private int maxStreamsPerConnection = 512;
    private int maxMessageSize = 4 << 20;
    private int maxPendingWriteBytes = 16 << 20;
    private Duration pingInterval = Duration.ofSeconds(15);
    private Duration pingTimeout = Duration.ofSeconds(10);
    private int ioThreads = 2;
    private Duration closeGrace = Duration.ofSeconds(5);

    private Builder() {}

    private Builder(HostConfig c) {
      listenAddresses = c.listenAddresses;
      agentVersion = c.agentVersion;
      dialTimeout = c.dialTimeout;
      handshakeTimeout = c.handshakeTimeout;
      maxConnections = c.maxConnections;
      maxStreamsPerConnection = c.maxStreamsPerConnection;
      maxMessageSize = c.maxMessageSize;
      maxPendingWriteBytes = c.maxPendingWriteBytes;
      pingInterval = c.pingInterval;
      pingTimeout = c.pingTimeout;
      ioThreads = c.ioThreads;
      closeGrace = c.closeGrace;
    }

    public Builder listenAddresses(List<String> v) {
      listenAddresses = v;
      return this;
    }

    public Builder agentVersion(String v) {
      agentVersion = v;
      return this;
    }

    public Builder dialTimeout(Duration v) {
      dialTimeout = v;
      return this;
    }

    public Builder handshakeTimeout(Duration v) {
      handshakeTimeout = v;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder maxStreamsPerConnection(int v) {
      maxStreamsPerConnection = v;
      return this;
    }

    public Builder maxMessageSize(int v) {
      maxMessageSize = v;
      return this;
    }

    public Builder maxPendingWriteBytes(int v) {
      maxPendingWriteBytes = v;
      return this;
    }

    public Builder pingInterval(Duration v) {
      pingInterval = v;
      return this;
    }

    public Builder pingTimeout(Duration v) {
      pingTimeout = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public Builder closeGrace(Duration v) {
      closeGrace = v;
      return this;
    }

    public HostConfig build() {
      return new HostConfig(
          listenAddresses,
          agentVersion,
          dialTimeout,
          handshakeTimeout,
          maxConnections,
          maxStreamsPerConnection,
          maxMessageSize,
          maxPendingWriteBytes,
          pingInterval,
          pingTimeout,
          ioThreads,
          closeGrace);
    }
  }
}
