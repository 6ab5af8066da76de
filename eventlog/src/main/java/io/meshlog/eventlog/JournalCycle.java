package io.meshlog.eventlog;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link EventType#JOURNAL_CYCLE} record restates about the node when the journal starts a
 * new cycle file: the topics it has joined and, per topic, its mesh peers. Retention deletes whole
 * cycle files, oldest first, and with them the NODE_STARTED that said whose journal it is and the
 * JOINs and GRAFTs that said what it was subscribed to; the journal therefore writes one such
 * record into every cycle file after the first of a run, and a reader that starts after deleted
 * cycles takes the node's state from it.
 *
 * <p>The record's {@code peer} is the node's own peer id and its {@code text} the agent version, as
 * in NODE_STARTED; this is its {@code data}:
 *
 * <pre>
 *   u8  version (1)
 *   u16 topics
 *   per topic: u16 length, UTF-8 topic, u16 mesh peers, per peer: u16 length, peer id bytes
 * </pre>
 *
 * <p>All integers big-endian. Immutable.
 *
 * @param topics the topics joined, in the order they were joined, each with its mesh peers
 */
public record JournalCycle(List<Topic> topics) {

  /** The format of {@link #encode()}; a reader refuses a newer one with {@link #decode}. */
  public static final int VERSION = 1;

  /**
   * One joined topic.
   *
   * @param mesh the peer ids in this node's mesh of the topic, in the order they were grafted
   */
  public record Topic(String topic, List<byte[]> mesh) {
    public Topic {
      mesh = List.copyOf(mesh);
    }
  }

  public JournalCycle {
    topics = List.copyOf(topics);
  }

  /** The record's data. */
  public byte[] encode() {
    int size = 3;
    List<byte[]> names = new ArrayList<>(topics.size());
    for (Topic t : topics) {
      byte[] name = t.topic().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 4 + name.length;
      for (byte[] peer : t.mesh()) {
        size += 2 + peer.length;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) VERSION).putShort((short) topics.size());
    for (int i = 0; i < topics.size(); i++) {
      byte[] name = names.get(i);
      b.putShort((short) name.length).put(name);
      List<byte[]> mesh = topics.get(i).mesh();
      b.putShort((short) mesh.size());
      for (byte[] peer : mesh) {
        b.putShort((short) peer.length).put(peer);
      }
    }
    return b.array();
  }

  /**
   * Reads a record's data.
   *
   * @throws IllegalArgumentException when it is malformed or of a newer version, saying which
   */
  public static JournalCycle decode(byte[] data) {
    if (data == null || data.length == 0) {
      throw new IllegalArgumentException("JOURNAL_CYCLE without data");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "JOURNAL_CYCLE data version " + version + " (this reader knows " + VERSION + ")");
    }
    try {
      int count = b.getShort() & 0xffff;
      List<Topic> topics = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String topic = new String(bytes(b), StandardCharsets.UTF_8);
        int peers = b.getShort() & 0xffff;
        List<byte[]> mesh = new ArrayList<>(peers);
        for (int p = 0; p < peers; p++) {
          mesh.add(bytes(b));
        }
        topics.add(new Topic(topic, mesh));
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(
            "JOURNAL_CYCLE data has " + b.remaining() + " bytes after its last topic");
      }
      return new JournalCycle(topics);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("JOURNAL_CYCLE data ends inside a topic", e);
    }
  }

  /**
   * Reads a record's data as a reader that must go on does: empty when it is malformed or of a
   * newer version (the record then only counts as an event).
   */
  public static Optional<JournalCycle> tryDecode(byte[] data) {
    try {
      return Optional.of(decode(data));
    } catch (IllegalArgumentException unreadable) {
      return Optional.empty();
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    int length = b.getShort() & 0xffff;
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }
}
