package io.meshlog.node.p2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A yamux session in an {@link EmbeddedChannel}: the test plays the remote peer byte by byte and
 * reads back the frames the session writes.
 */
final class EmbeddedSession implements AutoCloseable {
  /** Counts every byte the session allocates, so a test can assert that all was released. */
  final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, false);

  final EmbeddedChannel channel = new EmbeddedChannel();
  final YamuxSession session;
  final LinkedBlockingQueue<YamuxStream> inbound = new LinkedBlockingQueue<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();

  /** A session on the listening side: the peer (the test) opens odd ids. */
  EmbeddedSession(YamuxConfig config) {
    this(config, null);
  }

  private EmbeddedSession(YamuxConfig config, Consumer<YamuxStream> onInbound) {
    channel.config().setAllocator(alloc);
    session = new YamuxSession(false, config, onInbound != null ? onInbound : inbound::add);
    channel.pipeline().addLast(session, new LoopbackPair.ErrorRecorder(errors));
    channel.runPendingTasks();
    readFrames(); // the session's opening ping, if any
  }

  EmbeddedSession() {
    this(YamuxConfig.defaults().withMaxWindowSize(YamuxHeader.INITIAL_WINDOW));
  }

  /** A session whose inbound streams go to {@code onInbound} instead of {@link #inbound}. */
  static EmbeddedSession withInboundHandler(Consumer<YamuxStream> onInbound) {
    return new EmbeddedSession(YamuxConfig.defaults(), onInbound);
  }

  /** Feeds bytes from the peer (and releases them), then lets the session flush. */
  void feed(ByteBuf bytes) {
    // Copied into a counted buffer so that a payload the session fails to release shows up.
    ByteBuf counted = alloc.buffer(bytes.readableBytes()).writeBytes(bytes);
    bytes.release();
    channel.writeInbound(counted);
    channel.runPendingTasks();
  }

  /** Frames the session wrote so far, decoded, released. */
  List<Frame> readFrames() {
    channel.runPendingTasks();
    List<Frame> frames = new ArrayList<>();
    ByteBuf all = alloc.heapBuffer();
    Object o;
    while ((o = channel.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    while (all.readableBytes() >= YamuxHeader.SIZE) {
      int version = all.readUnsignedByte();
      int type = all.readUnsignedByte();
      int flags = all.readUnsignedShort();
      int id = all.readInt();
      long length = all.readUnsignedInt();
      byte[] payload = new byte[type == YamuxHeader.TYPE_DATA ? (int) length : 0];
      all.readBytes(payload);
      frames.add(new Frame(version, type, flags, id, length, payload));
    }
    all.release();
    return frames;
  }

  static ByteBuf frame(int type, int flags, int id, long length, byte[] payload) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer(YamuxHeader.SIZE + payload.length);
    b.writeByte(0).writeByte(type).writeShort(flags).writeInt(id).writeInt((int) length);
    b.writeBytes(payload);
    return b;
  }

  static ByteBuf data(int flags, int id, byte[] payload) {
    return frame(YamuxHeader.TYPE_DATA, flags, id, payload.length, payload);
  }

  static ByteBuf windowUpdate(int flags, int id, long delta) {
    return frame(YamuxHeader.TYPE_WINDOW_UPDATE, flags, id, delta, new byte[0]);
  }

  long usedMemory() {
    return alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }

  record Frame(int version, int type, int flags, int id, long length, byte[] payload) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }
  }
}
