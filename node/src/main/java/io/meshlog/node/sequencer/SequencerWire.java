package io.meshlog.node.sequencer;

import io.meshlog.node.p2p.Identity;
import io.meshlog.node.p2p.PeerId;
import io.meshlog.reconciliation.order.Assignment;
import io.meshlog.reconciliation.order.FinalPosition;
import io.meshlog.reconciliation.order.MessageKey;
import io.meshlog.reconciliation.order.OrderedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and checks the sequencer's control messages. Layout (varints are unsigned LEB128, zz =
 * zigzag varint):
 *
 * <pre>
 *   confirm: u8 version (1) | u8 kind (1) | varint len + signer peer id
 *            | varint n | n x (varint len + topic UTF-8 | varint len + message id
 *                              | varint epoch | varint seq | zz lamport)
 *            | varint len + Ed25519 signature over "meshlog-sequencer-confirm/1" + every byte above
 *   submit:  u8 version (1) | u8 kind (2)
 *            | varint n | n x (varint len + topic | varint len + message id | zz lamport
 *                              | varint len + origin | zz origin seqno)
 * </pre>
 *
 * <p>Peer input is hostile: every length is checked against what is left before anything is
 * allocated, {@code n} is at most {@link #MAX_ENTRIES}, and anything malformed decodes to empty
 * (the caller counts it and drops it). Stateless and thread-safe.
 */
public final class SequencerWire {

  /** The gossip topic the directory publishes confirmations on. */
  public static final String CONFIRM_TOPIC = "_meshlog/sequencer/confirm/1";

  /** The gossip topic nodes publish their unconfirmed messages on. */
  public static final String SUBMIT_TOPIC = "_meshlog/sequencer/submit/1";

  /** Entries per control message at most; a larger batch is sent as several. */
  public static final int MAX_ENTRIES = 500;

  private static final int VERSION = 1;
  private static final int CONFIRM = 1;
  private static final int SUBMIT = 2;
  private static final byte[] DOMAIN =
      "meshlog-sequencer-confirm/1".getBytes(StandardCharsets.US_ASCII);

  /** A verified confirmation batch: who signed it and what it confirms. */
  public record Confirmations(PeerId signer, List<Assignment> assignments) {}

  private SequencerWire() {}

  /** True when {@code topic} is one of the sequencer's control topics (never sequenced). */
  public static boolean isControlTopic(String topic) {
    return CONFIRM_TOPIC.equals(topic) || SUBMIT_TOPIC.equals(topic);
  }

  /**
   * A signed confirmation batch of at most {@link #MAX_ENTRIES} assignments.
   *
   * @throws IllegalArgumentException when the batch is empty or too large
   */
  public static byte[] confirm(Identity signer, List<Assignment> batch) {
    check(batch.size());
    Out out = new Out();
    out.u8(VERSION).u8(CONFIRM).bytes(signer.peerId().bytes()).varint(batch.size());
    for (Assignment a : batch) {
      out.string(a.message().topic()).bytes(a.message().id().bytes());
      out.varint(a.position().epoch()).varint(a.position().seq()).zigzag(a.message().lamport());
    }
    byte[] body = out.toByteArray();
    byte[] sig = signer.sign(signed(body));
    return new Out().raw(body).bytes(sig).toByteArray();
  }

  /**
   * Decodes a confirmation batch and verifies its signature against the signer's public key (read
   * from its peer id); empty when malformed, unsigned, or signed by someone not in {@code trusted}.
   */
  public static Optional<Confirmations> verifyConfirm(byte[] data, List<PeerId> trusted) {
    return verifyConfirm(data, trusted::contains);
  }

  /**
   * Decodes a confirmation batch from any signer and verifies its signature against the signer's
   * own key: what a directory uses to see that another one sequences its topics.
   */
  public static Optional<Confirmations> verifyAnyConfirm(byte[] data) {
    return verifyConfirm(data, signer -> true);
  }

  private static Optional<Confirmations> verifyConfirm(
      byte[] data, java.util.function.Predicate<PeerId> trusted) {
    try {
      In in = new In(data);
      if (in.u8() != VERSION || in.u8() != CONFIRM) {
        return Optional.empty();
      }
      PeerId signer = PeerId.fromBytes(in.bytes());
      if (!trusted.test(signer)) {
        return Optional.empty();
      }
      int n = in.count();
      List<Assignment> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String topic = in.string();
        MessageKey id = MessageKey.of(in.bytes());
        long epoch = in.varint();
        long seq = in.varint();
        long lamport = in.zigzag();
        out.add(
            new Assignment(
                new OrderedMessage(topic, id, lamport, null, OrderedMessage.ABSENT),
                new FinalPosition(epoch, seq)));
      }
      int bodyEnd = in.pos;
      byte[] sig = in.bytes();
      in.end();
      Optional<byte[]> key = signer.publicKeyProtobuf();
      if (key.isEmpty() || !PeerId.verify(key.get(), signed(Arrays.copyOf(data, bodyEnd)), sig)) {
        return Optional.empty();
      }
      return Optional.of(new Confirmations(signer, out));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A submission batch of at most {@link #MAX_ENTRIES} messages.
   *
   * @throws IllegalArgumentException when the batch is empty or too large
   */
  public static byte[] submit(List<OrderedMessage> batch) {
    check(batch.size());
    Out out = new Out();
    out.u8(VERSION).u8(SUBMIT).varint(batch.size());
    for (OrderedMessage m : batch) {
      out.string(m.topic()).bytes(m.id().bytes()).zigzag(m.lamport());
      out.bytes(m.origin()).zigzag(m.originSeqno());
    }
    return out.toByteArray();
  }

  /** Decodes a submission batch; empty when malformed. */
  public static Optional<List<OrderedMessage>> decodeSubmit(byte[] data) {
    try {
      In in = new In(data);
      if (in.u8() != VERSION || in.u8() != SUBMIT) {
        return Optional.empty();
      }
      int n = in.count();
      List<OrderedMessage> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String topic = in.string();
        MessageKey id = MessageKey.of(in.bytes());
        long lamport = in.zigzag();
        byte[] origin = in.bytes();
        long seqno = in.zigzag();
        if (lamport != OrderedMessage.ABSENT && lamport < 0) {
          return Optional.empty();
        }
        out.add(new OrderedMessage(topic, id, lamport, origin, seqno));
      }
      in.end();
      return Optional.of(out);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void check(int n) {
    if (n < 1 || n > MAX_ENTRIES) {
      throw new IllegalArgumentException("batch of " + n + " entries, 1.." + MAX_ENTRIES);
    }
  }

  private static byte[] signed(byte[] body) {
    byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + body.length);
    System.arraycopy(body, 0, out, DOMAIN.length, body.length);
    return out;
  }

  private static final class Out {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream(256);

    Out u8(int v) {
      b.write(v);
      return this;
    }

    Out varint(long v) {
      while ((v & ~0x7FL) != 0) {
        b.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      b.write((int) v);
      return this;
    }

    Out zigzag(long v) {
      return varint((v << 1) ^ (v >> 63));
    }

    Out bytes(byte[] v) {
      varint(v.length);
      return raw(v);
    }

    Out raw(byte[] v) {
      b.write(v, 0, v.length);
      return this;
    }

    Out string(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return b.toByteArray();
    }
  }

  private static final class In {
    private final byte[] d;
    private int pos;

    In(byte[] d) {
      this.d = d;
    }

    int u8() {
      if (pos >= d.length) {
        throw new IllegalArgumentException("truncated");
      }
      return d[pos++] & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7F) << shift;
        if (x < 0x80) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    long zigzag() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    int count() {
      long n = varint();
      if (n < 1 || n > MAX_ENTRIES) {
        throw new IllegalArgumentException("bad count " + n);
      }
      return (int) n;
    }

    byte[] bytes() {
      long n = varint();
      if (n < 0 || n > d.length - pos) {
        throw new IllegalArgumentException("length past the end");
      }
      byte[] out = Arrays.copyOfRange(d, pos, pos + (int) n);
      pos += (int) n;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void end() {
      if (pos != d.length) {
        throw new IllegalArgumentException("trailing bytes");
      }
    }
  }
}
