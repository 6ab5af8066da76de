package io.meshlog.node.sync;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.projection.Projections;
import io.meshlog.node.gossipsub.SignedMessage;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Rebuilds the original signed gossip message from this node's journal: the PUBLISH_MESSAGE or
 * DELIVER_MESSAGE record (topic, origin, gossip seqno, data) found through the origin sequence
 * index, plus its MESSAGE_SIGNATURE record (signature, key) found through the signature index.
 *
 * <pre>
 *   (topic, origin, seq) ─ORIGIN_SEQS─► journal index ─► PUBLISH/DELIVER record ─► id, data, ...
 *   id ─SIGNATURES─► journal index ─► MESSAGE_SIGNATURE record ─► signature, key
 * </pre>
 *
 * <p>Not thread-safe: one per serving thread (it holds one journal reader); close it.
 */
final class JournalMessages implements AutoCloseable {

  /** A message as served: its id and the signed message. */
  record Found(byte[] messageId, SignedMessage message) {}

  private final Projections projections;
  private final JournalReader reader;
  private final Event event = new Event();

  JournalMessages(Journal journal, Projections projections) {
    this.projections = projections;
    this.reader = journal.reader();
  }

  /**
   * The message whose PUBLISH or DELIVER record is at {@code journalIndex}, or null when the record
   * is not one (retention deleted it) or its signature was never journaled.
   */
  Found at(long journalIndex) {
    if (!read(journalIndex)
        || (event.type() != EventType.PUBLISH_MESSAGE
            && event.type() != EventType.DELIVER_MESSAGE)) {
      return null;
    }
    byte[] id = event.messageId();
    byte[] from = event.origin();
    byte[] data = event.data() == null ? new byte[0] : event.data();
    String topic = event.topic();
    long seqno = event.originSeqno();
    if (id == null || from == null || topic == null || seqno == Event.ABSENT) {
      return null;
    }
    OptionalLong sigIndex = projections.signatureIndex(id);
    if (sigIndex.isEmpty()
        || !read(sigIndex.getAsLong())
        || event.type() != EventType.MESSAGE_SIGNATURE) {
      return null;
    }
    byte[] author = event.data();
    if (author == null || author.length < 2) {
      return null;
    }
    int sigLength = ((author[0] & 0xFF) << 8) | (author[1] & 0xFF);
    if (2 + sigLength > author.length) {
      return null;
    }
    byte[] signature = Arrays.copyOfRange(author, 2, 2 + sigLength);
    byte[] key =
        author.length == 2 + sigLength
            ? null
            : Arrays.copyOfRange(author, 2 + sigLength, author.length);
    byte[] seq = new byte[8];
    for (int i = 7; i >= 0; i--) {
      seq[i] = (byte) seqno;
      seqno >>>= 8;
    }
    return new Found(id, new SignedMessage(from, data, seq, topic, signature, key));
  }

  private boolean read(long index) {
    reader.toAfter(index - 1);
    return reader.next(event.clear()) == index;
  }

  @Override
  public void close() {
    reader.close();
  }
}
