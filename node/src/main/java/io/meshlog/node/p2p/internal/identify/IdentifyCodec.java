package io.meshlog.node.p2p.internal.identify;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the identify protobuf by hand. Decoding is defensive: the input is at most
 * one length-checked message already in memory, every repeated field is capped, wrong wire types
 * and truncation are rejected, unknown fields are skipped.
 */
public final class IdentifyCodec {

  /** Cap on addresses and protocols in one message; js-libp2p nodes send a handful of each. */
  public static final int MAX_REPEATED = 256;

  private static final int PUBLIC_KEY = 1;
  private static final int LISTEN_ADDRS = 2;
  private static final int PROTOCOLS = 3;
  private static final int OBSERVED_ADDR = 4;
  private static final int PROTOCOL_VERSION = 5;
  private static final int AGENT_VERSION = 6;
  private static final int SIGNED_PEER_RECORD = 8;

  private IdentifyCodec() {}

  /** The protobuf bytes of {@code message}. */
  public static byte[] encode(IdentifyMessage message) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      if (message.publicKey() != null) {
        out.writeByteArray(PUBLIC_KEY, message.publicKey());
      }
      for (byte[] addr : message.listenAddrs()) {
        out.writeByteArray(LISTEN_ADDRS, addr);
      }
      for (String protocol : message.protocols()) {
        out.writeString(PROTOCOLS, protocol);
      }
      if (message.observedAddr() != null) {
        out.writeByteArray(OBSERVED_ADDR, message.observedAddr());
      }
      if (message.protocolVersion() != null) {
        out.writeString(PROTOCOL_VERSION, message.protocolVersion());
      }
      if (message.agentVersion() != null) {
        out.writeString(AGENT_VERSION, message.agentVersion());
      }
      if (message.signedPeerRecord() != null) {
        out.writeByteArray(SIGNED_PEER_RECORD, message.signedPeerRecord());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  /**
   * Decodes one identify message.
   *
   * @throws IdentifyException with a reason when the bytes are not a valid identify message
   */
  public static IdentifyMessage decode(byte[] bytes) throws IdentifyException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String protocolVersion = null;
    String agentVersion = null;
    byte[] publicKey = null;
    byte[] observedAddr = null;
    byte[] signedPeerRecord = null;
    List<byte[]> listenAddrs = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int field = WireFormat.getTagFieldNumber(tag);
        boolean lengthDelimited =
            WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        if (field >= PUBLIC_KEY && field <= SIGNED_PEER_RECORD && field != 7 && !lengthDelimited) {
          throw new IdentifyException("wrong wire type for field " + field);
        }
        switch (field) {
          case PUBLIC_KEY:
            publicKey = in.readByteArray();
            break;
          case LISTEN_ADDRS:
            checkRepeated(listenAddrs.size(), "listenAddrs");
            listenAddrs.add(in.readByteArray());
            break;
          case PROTOCOLS:
            checkRepeated(protocols.size(), "protocols");
            protocols.add(in.readStringRequireUtf8());
            break;
          case OBSERVED_ADDR:
            observedAddr = in.readByteArray();
            break;
          case PROTOCOL_VERSION:
            protocolVersion = in.readStringRequireUtf8();
            break;
          case AGENT_VERSION:
            agentVersion = in.readStringRequireUtf8();
            break;
          case SIGNED_PEER_RECORD:
            signedPeerRecord = in.readByteArray();
            break;
          default:
            if (!in.skipField(tag)) {
              throw new IdentifyException("bad field " + field);
            }
        }
      }
    } catch (IOException e) {
      throw new IdentifyException("malformed protobuf: " + e.getMessage());
    }
    return new IdentifyMessage(
        protocolVersion,
        agentVersion,
        publicKey,
        listenAddrs,
        observedAddr,
        protocols,
        signedPeerRecord);
  }

  private static void checkRepeated(int count, String field) throws IdentifyException {
    if (count >= MAX_REPEATED) {
      throw new IdentifyException("more than " + MAX_REPEATED + " " + field);
    }
  }

  /** A short human summary for the journal: agent and protocols. */
  public static String summary(IdentifyMessage message) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(message.agentVersion() == null ? "?" : message.agentVersion());
    sb.append(' ').append(String.join(",", message.protocols()));
    return sb.toString();
  }
}
