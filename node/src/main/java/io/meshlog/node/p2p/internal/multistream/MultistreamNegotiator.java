package io.meshlog.node.p2p.internal.multistream;

import io.meshlog.node.p2p.internal.Varint;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * The multistream-select 1.0 state machine for one side of one negotiation, independent of the
 * carrier (a TCP channel, a Noise session, a Yamux stream).
 *
 * <p>Messages are {@code varint(length) || utf8 || '\n'}, where the length counts the newline. The
 * dialer speaks first and pipelines its header with its first proposal ({@link #start}); the
 * listener answers nothing until it has seen the dialer's header (as js-libp2p does), then echoes a
 * supported proposal or answers {@code na}. A dialer may pipeline payload bytes right behind its
 * proposal ("lazy" select): {@link #feed} stops consuming at the end of the selecting message, so
 * whatever follows stays in the input buffer for the next protocol.
 *
 * <p>Every length is checked before anything is read or allocated; a listener stops answering after
 * {@link #MAX_REJECTED_PROPOSALS} unsupported proposals so a peer cannot keep it busy forever.
 *
 * <p>Not thread-safe: owned by the event loop of its carrier.
 */
public final class MultistreamNegotiator {

  /** The protocol id both sides send as their header. */
  public static final String PROTOCOL_ID = "/multistream/1.0.0";

  /** Default cap on one message, newline included (js-libp2p uses the same bound). */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024;

  /** How many unsupported proposals (or {@code ls}) a listener answers before giving up. */
  public static final int MAX_REJECTED_PROPOSALS = 32;

  private static final String NA = "na";
  private static final String LS = "ls";

  /** What a call to {@link #feed} achieved. */
  public enum Result {
    NEED_MORE,
    SELECTED,
    FAILED
  }

  private final boolean dialer;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private final int maxMessageLength;
  private boolean headerReceived;
  private int proposalIndex;
  private int rejected;
  private String selected;
  private String failure;

  private MultistreamNegotiator(
      boolean dialer, List<String> proposals, Predicate<String> supported, int maxMessageLength) {
    if (maxMessageLength < PROTOCOL_ID.length() + 1) {
      throw new IllegalArgumentException("maxMessageLength too small: " + maxMessageLength);
    }
    this.dialer = dialer;
    this.proposals = proposals;
    this.supported = supported;
    this.maxMessageLength = maxMessageLength;
  }

  /** A dialer proposing {@code protocols} in order until the listener accepts one. */
  public static MultistreamNegotiator dialer(List<String> protocols, int maxMessageLength) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol to propose");
    }
    for (String p : protocols) {
      if (p.getBytes(StandardCharsets.UTF_8).length + 1 > maxMessageLength) {
        throw new IllegalArgumentException("protocol id too long: " + p);
      }
    }
    return new MultistreamNegotiator(true, List.copyOf(protocols), p -> false, maxMessageLength);
  }

  /** A listener accepting the first proposal {@code supported} says yes to. */
  public static MultistreamNegotiator listener(Predicate<String> supported, int maxMessageLength) {
    return new MultistreamNegotiator(false, List.of(), supported, maxMessageLength);
  }

  /** Writes what this side sends before hearing anything: the dialer's header and proposal. */
  public void start(ByteBuf out) {
    if (dialer) {
      writeMessage(out, PROTOCOL_ID);
      writeMessage(out, proposals.get(0));
    }
  }

  /**
   * Consumes complete messages from {@code in}, writing any answers into {@code out}. Stops right
   * after the message that settles the negotiation, so bytes that follow stay in {@code in}.
   */
  public Result feed(ByteBuf in, ByteBuf out) {
    if (selected != null) {
      return Result.SELECTED;
    }
    if (failure != null) {
      return Result.FAILED;
    }
    while (true) {
      int length = Varint.peek(in);
      if (length == Varint.INCOMPLETE) {
        return Result.NEED_MORE;
      }
      if (length == Varint.TOO_LONG || length > maxMessageLength) {
        return fail("message length prefix over " + maxMessageLength);
      }
      if (length == 0) {
        return fail("empty message");
      }
      int prefix = Varint.size(length);
      if (in.readableBytes() < prefix + length) {
        return Result.NEED_MORE;
      }
      int start = in.readerIndex() + prefix;
      if (in.getByte(start + length - 1) != '\n') {
        return fail("message not terminated by a newline");
      }
      String message = in.toString(start, length - 1, StandardCharsets.UTF_8);
      in.skipBytes(prefix + length);
      Result result = dialer ? onDialerMessage(message, out) : onListenerMessage(message, out);
      if (result != Result.NEED_MORE) {
        return result;
      }
    }
  }

  private Result onDialerMessage(String message, ByteBuf out) {
    if (!headerReceived) {
      return expectHeader(message);
    }
    String proposed = proposals.get(proposalIndex);
    if (message.equals(proposed)) {
      selected = proposed;
      return Result.SELECTED;
    }
    if (!message.equals(NA)) {
      return fail("unexpected answer to " + proposed);
    }
    proposalIndex++;
    if (proposalIndex == proposals.size()) {
      return fail("protocol not supported by the remote: " + String.join(", ", proposals));
    }
    writeMessage(out, proposals.get(proposalIndex));
    return Result.NEED_MORE;
  }

  private Result onListenerMessage(String message, ByteBuf out) {
    if (!headerReceived) {
      Result result = expectHeader(message);
      if (result == Result.NEED_MORE) {
        writeMessage(out, PROTOCOL_ID);
      }
      return result;
    }
    if (!message.equals(LS) && supported.test(message)) {
      writeMessage(out, message);
      selected = message;
      return Result.SELECTED;
    }
    // "ls" gets "na" too: listing our protocols is optional, and we prefer not to advertise.
    writeMessage(out, NA);
    if (++rejected >= MAX_REJECTED_PROPOSALS) {
      return fail("too many unsupported proposals");
    }
    return Result.NEED_MORE;
  }

  private Result expectHeader(String message) {
    if (!message.equals(PROTOCOL_ID)) {
      return fail("bad header");
    }
    headerReceived = true;
    return Result.NEED_MORE;
  }

  private Result fail(String reason) {
    failure = reason;
    return Result.FAILED;
  }

  /** The agreed protocol, or null before {@link Result#SELECTED}. */
  public String selected() {
    return selected;
  }

  /** Why the negotiation failed, or null. */
  public String failure() {
    return failure;
  }

  /** How many proposals (and {@code ls}) a listener answered with {@code na}. */
  public int unsupportedProposals() {
    return rejected;
  }

  /** True for the side that proposes. */
  public boolean isDialer() {
    return dialer;
  }

  /** Appends one multistream message. */
  public static void writeMessage(ByteBuf out, String text) {
    int length = text.length() + 1;
    if (text.chars().allMatch(c -> c < 0x80)) {
      Varint.write(out, length);
      out.writeCharSequence(text, StandardCharsets.US_ASCII);
    } else {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      Varint.write(out, bytes.length + 1);
      out.writeBytes(bytes);
    }
    out.writeByte('\n');
  }
}
