package io.meshlog.node.p2p.internal.yamux;

/**
 * Limits and window sizes of one yamux session. Immutable; {@link #validate()} runs when a session
 * is created and names the offending field as {@code yamux.<field>}. None of these is a node
 * setting of its own: the host maps {@code host.maxStreamsPerConnection} onto {@code maxStreams}
 * and {@code host.maxPendingWriteBytes} onto {@code maxPendingBytesPerStream}; the window and frame
 * sizes are fixed by the protocol and by each other ({@code docs/yamux.md} says why).
 *
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>yamux.maxStreams</td><td>1024</td><td>open streams per connection, both directions;
 *       an inbound SYN beyond it is answered with RST, a local open fails</td></tr>
 *   <tr><td>yamux.maxFrameSize</td><td>16 MiB</td><td>largest inbound DATA payload accepted, checked
 *       from the header; a larger one closes the connection. At least yamux.maxWindowSize, because
 *       js-libp2p sends frames as large as the whole window it was granted</td></tr>
 *   <tr><td>yamux.maxPendingBytesPerStream</td><td>4 MiB</td><td>bytes a stream queues beyond the
 *       peer's window; a write past it fails and resets the stream</td></tr>
 *   <tr><td>yamux.initialWindowSize</td><td>256 KiB</td><td>receive window granted to every new
 *       stream (at least the spec's 256 KiB)</td></tr>
 *   <tr><td>yamux.maxWindowSize</td><td>16 MiB</td><td>ceiling of the receive window when it
 *       grows for a fast reader on a high-latency path</td></tr>
 *   <tr><td>yamux.sendFrameSize</td><td>65507</td><td>largest DATA payload sent; the default makes
 *       header plus payload fill exactly one Noise transport message</td></tr>
 * </table>
 */
public record YamuxConfig(
    int maxStreams,
    int maxFrameSize,
    int maxPendingBytesPerStream,
    int initialWindowSize,
    int maxWindowSize,
    int sendFrameSize) {

  /** 65535-byte Noise message minus its 16-byte tag minus the 12-byte yamux header. */
  static final int NOISE_ALIGNED_FRAME = 65535 - 16 - YamuxHeader.SIZE;

  /** The defaults in the table above. */
  public static YamuxConfig defaults() {
    return new YamuxConfig(
        1024, 16 << 20, 4 << 20, YamuxHeader.INITIAL_WINDOW, 16 << 20, NOISE_ALIGNED_FRAME);
  }

  public YamuxConfig withMaxStreams(int value) {
    return new YamuxConfig(
        value,
        maxFrameSize,
        maxPendingBytesPerStream,
        initialWindowSize,
        maxWindowSize,
        sendFrameSize);
  }

  public YamuxConfig withMaxFrameSize(int value) {
    return new YamuxConfig(
        maxStreams,
        value,
        maxPendingBytesPerStream,
        initialWindowSize,
        maxWindowSize,
        sendFrameSize);
  }

  public YamuxConfig withMaxPendingBytesPerStream(int value) {
    return new YamuxConfig(
        maxStreams, maxFrameSize, value, initialWindowSize, maxWindowSize, sendFrameSize);
  }

  public YamuxConfig withInitialWindowSize(int value) {
    return new YamuxConfig(
        maxStreams, maxFrameSize, maxPendingBytesPerStream, value, maxWindowSize, sendFrameSize);
  }

  public YamuxConfig withMaxWindowSize(int value) {
    return new YamuxConfig(
        maxStreams,
        maxFrameSize,
        maxPendingBytesPerStream,
        initialWindowSize,
        value,
        sendFrameSize);
  }

  public YamuxConfig withSendFrameSize(int value) {
    return new YamuxConfig(
        maxStreams,
        maxFrameSize,
        maxPendingBytesPerStream,
        initialWindowSize,
        maxWindowSize,
        value);
  }

  /**
   * Checks every setting.
   *
   * @return this
   * @throws IllegalArgumentException naming the first bad key and its value
   */
  public YamuxConfig validate() {
    require(maxStreams > 0, "yamux.maxStreams", maxStreams, "must be > 0");
    require(maxFrameSize > 0, "yamux.maxFrameSize", maxFrameSize, "must be > 0");
    require(
        maxPendingBytesPerStream > 0,
        "yamux.maxPendingBytesPerStream",
        maxPendingBytesPerStream,
        "must be > 0");
    require(
        initialWindowSize >= YamuxHeader.INITIAL_WINDOW,
        "yamux.initialWindowSize",
        initialWindowSize,
        "must be >= 262144 (the spec's initial window)");
    require(
        maxWindowSize >= initialWindowSize,
        "yamux.maxWindowSize",
        maxWindowSize,
        "must be >= yamux.initialWindowSize (" + initialWindowSize + ")");
    require(
        maxFrameSize >= maxWindowSize,
        "yamux.maxFrameSize",
        maxFrameSize,
        "must be >= yamux.maxWindowSize (" + maxWindowSize + "): peers send whole windows");
    require(sendFrameSize > 0, "yamux.sendFrameSize", sendFrameSize, "must be > 0");
    return this;
  }

  private static void require(boolean ok, String key, int value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(key + " " + rule + ", was " + value);
    }
  }
}
