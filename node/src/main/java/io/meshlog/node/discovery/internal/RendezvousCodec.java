package io.meshlog.node.discovery.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.meshlog.node.discovery.internal.RendezvousMessage.Discover;
import io.meshlog.node.discovery.internal.RendezvousMessage.DiscoverResponse;
import io.meshlog.node.discovery.internal.RendezvousMessage.Register;
import io.meshlog.node.discovery.internal.RendezvousMessage.RegisterResponse;
import io.meshlog.node.discovery.internal.RendezvousMessage.Unregister;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the rendezvous {@code Message} protobuf ({@code /rendezvous/1.0.0}) by hand.
 * The input is one length-checked message already in memory; the registrations of a response are
 * capped by the caller, wrong wire types are rejected, unknown fields skipped, and absent fields
 * read as proto2 defaults (the type as REGISTER, numbers as 0).
 *
 * <p>Stateless and thread-safe.
 */
public final class RendezvousCodec {

  private RendezvousCodec() {}

  /** A message that is not a valid rendezvous message; the text is the reason. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedException(String reason) {
      super(reason, null, false, false);
    }
  }

  public static byte[] encode(RendezvousMessage m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeEnum(1, m.type());
      if (m.register() != null) {
        writeMessage(out, 2, register(m.register()));
      }
      if (m.registerResponse() != null) {
        RegisterResponse r = m.registerResponse();
        writeMessage(
            out,
            3,
            o -> {
              o.writeEnum(1, r.status());
              if (r.statusText() != null) {
                o.writeString(2, r.statusText());
              }
              o.writeUInt64(3, r.ttl());
            });
      }
      if (m.unregister() != null) {
        writeMessage(
            out,
            4,
            o -> {
              if (m.unregister().ns() != null) {
                o.writeString(1, m.unregister().ns());
              }
            });
      }
      if (m.discover() != null) {
        Discover d = m.discover();
        writeMessage(
            out,
            5,
            o -> {
              if (d.ns() != null) {
                o.writeString(1, d.ns());
              }
              if (d.limit() > 0) {
                o.writeUInt64(2, d.limit());
              }
              if (d.cookie() != null) {
                o.writeByteArray(3, d.cookie());
              }
            });
      }
      if (m.discoverResponse() != null) {
        DiscoverResponse d = m.discoverResponse();
        writeMessage(
            out,
            6,
            o -> {
              for (Register r : d.registrations()) {
                writeMessage(o, 1, register(r));
              }
              if (d.cookie() != null) {
                o.writeByteArray(2, d.cookie());
              }
              o.writeEnum(3, d.status());
              if (d.statusText() != null) {
                o.writeString(4, d.statusText());
              }
            });
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static Body register(Register r) {
    return o -> {
      if (r.ns() != null) {
        o.writeString(1, r.ns());
      }
      if (r.signedPeerRecord() != null) {
        o.writeByteArray(2, r.signedPeerRecord());
      }
      if (r.ttl() > 0) {
        o.writeUInt64(3, r.ttl());
      }
    };
  }

  private static void writeMessage(CodedOutputStream out, int field, Body body) throws IOException {
    ByteArrayOutputStream inner = new ByteArrayOutputStream(128);
    CodedOutputStream o = CodedOutputStream.newInstance(inner);
    body.write(o);
    o.flush();
    out.writeByteArray(field, inner.toByteArray());
  }

  /**
   * Decodes one message.
   *
   * @param maxRegistrations most registrations a DISCOVER_RESPONSE may carry
   * @throws MalformedException with the reason
   */
  public static RendezvousMessage decode(byte[] bytes, int maxRegistrations)
      throws MalformedException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      // The spec's schema is proto2, where an absent enum reads as its first value: REGISTER.
      // Writers with proto3 habits (js's protons) leave a zero enum out, so a REGISTER from them
      // carries no type field at all.
      int type = RendezvousMessage.REGISTER;
      Register register = null;
      RegisterResponse registerResponse = null;
      Unregister unregister = null;
      Discover discover = null;
      DiscoverResponse discoverResponse = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == 1) {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          type = in.readEnum();
        } else if (field >= 2 && field <= 6) {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          byte[] part = in.readByteArray();
          switch (field) {
            case 2 -> register = register(part);
            case 3 -> registerResponse = registerResponse(part);
            case 4 -> unregister = unregister(part);
            case 5 -> discover = discover(part);
            default -> discoverResponse = discoverResponse(part, maxRegistrations);
          }
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (type < RendezvousMessage.REGISTER || type > RendezvousMessage.DISCOVER_RESPONSE) {
        throw new MalformedException("message type " + type + " is unknown");
      }
      Object part =
          switch (type) {
            case RendezvousMessage.REGISTER -> register;
            case RendezvousMessage.REGISTER_RESPONSE -> registerResponse;
            case RendezvousMessage.UNREGISTER -> unregister;
            case RendezvousMessage.DISCOVER -> discover;
            default -> discoverResponse;
          };
      if (part == null) {
        throw new MalformedException("message of type " + type + " lacks its body");
      }
      return new RendezvousMessage(
          type, register, registerResponse, unregister, discover, discoverResponse);
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedException("malformed rendezvous message: " + e.getMessage());
    }
  }

  private static void expect(int tag, int wireType) throws MalformedException {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new MalformedException(
          "field " + WireFormat.getTagFieldNumber(tag) + " has the wrong wire type");
    }
  }

  private static Register register(byte[] bytes) throws IOException, MalformedException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String ns = null;
    byte[] record = null;
    long ttl = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          ns = in.readStringRequireUtf8();
        }
        case 2 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          record = in.readByteArray();
        }
        case 3 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          ttl = in.readUInt64();
        }
        default -> in.skipField(tag);
      }
    }
    return new Register(ns, record, ttl);
  }

  private static RegisterResponse registerResponse(byte[] bytes)
      throws IOException, MalformedException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int status = 0;
    String text = null;
    long ttl = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          status = in.readEnum();
        }
        case 2 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          text = in.readStringRequireUtf8();
        }
        case 3 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          ttl = in.readUInt64();
        }
        default -> in.skipField(tag);
      }
    }
    return new RegisterResponse(status, text, ttl);
  }

  private static Unregister unregister(byte[] bytes) throws IOException, MalformedException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String ns = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        ns = in.readStringRequireUtf8();
      } else {
        in.skipField(tag);
      }
    }
    return new Unregister(ns);
  }

  private static Discover discover(byte[] bytes) throws IOException, MalformedException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String ns = null;
    long limit = 0;
    byte[] cookie = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          ns = in.readStringRequireUtf8();
        }
        case 2 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          limit = in.readUInt64();
        }
        case 3 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          cookie = in.readByteArray();
        }
        default -> in.skipField(tag);
      }
    }
    return new Discover(ns, limit, cookie);
  }

  private static DiscoverResponse discoverResponse(byte[] bytes, int maxRegistrations)
      throws IOException, MalformedException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Register> registrations = new ArrayList<>();
    byte[] cookie = null;
    int status = 0;
    String text = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          if (registrations.size() >= maxRegistrations) {
            throw new MalformedException("more than " + maxRegistrations + " registrations");
          }
          registrations.add(register(in.readByteArray()));
        }
        case 2 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          cookie = in.readByteArray();
        }
        case 3 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT);
          status = in.readEnum();
        }
        case 4 -> {
          expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          text = in.readStringRequireUtf8();
        }
        default -> in.skipField(tag);
      }
    }
    return new DiscoverResponse(registrations, cookie, status, text);
  }
}
