package io.meshlog.node.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the directory reads messages whose writers leave default-valued fields out. */
class RendezvousCodecTest {

  private static final int MAX_REGISTRATIONS = 16;

  @Test
  void shouldReadAMessageWithoutATypeAsARegister() throws Exception {
    // What js's protons writes for REGISTER{ns: "lobby", ttl: 0}: a proto3 writer leaves out the
    // type (REGISTER = 0) and the zero TTL; proto2, the spec's schema, reads them as 0.
    byte[] ns = "lobby".getBytes(StandardCharsets.UTF_8);
    byte[] wire = new byte[4 + ns.length];
    wire[0] = 0x12; // field 2 (register), length-delimited
    wire[1] = (byte) (2 + ns.length);
    wire[2] = 0x0a; // field 1 (ns), length-delimited
    wire[3] = (byte) ns.length;
    System.arraycopy(ns, 0, wire, 4, ns.length);

    RendezvousMessage m = RendezvousCodec.decode(wire, MAX_REGISTRATIONS);

    assertThat(m.type()).isEqualTo(RendezvousMessage.REGISTER);
    assertThat(m.register().ns()).isEqualTo("lobby");
    assertThat(m.register().ttl()).isZero();
    assertThat(m.register().signedPeerRecord()).isNull();
  }

  @Test
  void shouldRejectAMessageWithoutATypeOrARegisterBody() {
    byte[] discoverOnly = {0x2a, 0x00}; // field 5 (discover), empty: no type, so a REGISTER
    assertThatThrownBy(() -> RendezvousCodec.decode(discoverOnly, MAX_REGISTRATIONS))
        .isInstanceOf(RendezvousCodec.MalformedException.class)
        .hasMessageContaining("lacks its body");
    assertThatThrownBy(() -> RendezvousCodec.decode(new byte[0], MAX_REGISTRATIONS))
        .isInstanceOf(RendezvousCodec.MalformedException.class);
  }
}
