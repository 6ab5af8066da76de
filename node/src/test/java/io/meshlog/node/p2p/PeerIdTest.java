package io.meshlog.node.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PeerIdTest {

  // Ed25519 test vector of the libp2p peer-ids spec: private key protobuf and its public key.
  private static final String SPEC_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String SPEC_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  private static final String SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

  private final HexFormat hex = HexFormat.of();

  @Test
  void shouldDeriveSpecPublicKeyAndPeerIdFromSpecPrivateKey() {
    Identity identity = Identity.fromPrivateKeyProtobuf(hex.parseHex(SPEC_PRIVATE));

    assertThat(hex.formatHex(identity.publicKeyProtobuf())).isEqualTo(SPEC_PUBLIC);
    assertThat(identity.peerId().toBase58()).isEqualTo(SPEC_PEER_ID);
    assertThat(PeerId.fromPublicKeyProtobuf(hex.parseHex(SPEC_PUBLIC)))
        .isEqualTo(identity.peerId());
    assertThat(identity.peerId().publicKeyProtobuf())
        .hasValueSatisfying(key -> assertThat(hex.formatHex(key)).isEqualTo(SPEC_PUBLIC));
  }

  @Test
  void shouldParseSpecExamplesInBase58AndCidForms() {
    PeerId base58 = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");

    assertThat(cid).isEqualTo(base58);
    assertThat(base58.toCid())
        .isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertThat(base58.publicKeyProtobuf()).isEmpty();
  }

  @Test
  void shouldRoundTripEd25519PeerIdThroughAllTextForms() {
    PeerId id = Identity.generate().peerId();

    assertThat(id.toBase58()).startsWith("12D3KooW");
    assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
    assertThat(id.toCid()).startsWith("bafz");
    assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
    assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id).hasSameHashCodeAs(id);
    String base36 = "k" + new java.math.BigInteger(1, cidBytes(id)).toString(36);
    assertThat(PeerId.parse(base36)).isEqualTo(id);
  }

  @Test
  void shouldHashKeysLongerThan42Bytes() {
    byte[] longKey = new byte[43];
    PeerId id = PeerId.fromPublicKeyProtobuf(longKey);

    assertThat(id.bytes()).hasSize(34).startsWith(0x12, 0x20);
    assertThat(id.toBase58()).startsWith("Qm");
  }

  @Test
  void shouldVerifyEd25519SignaturesAndRejectTampering() {
    Identity identity = Identity.generate();
    byte[] data = "noise-libp2p-static-key:abc".getBytes(StandardCharsets.UTF_8);
    byte[] sig = identity.sign(data);

    assertThat(PeerId.verify(identity.publicKeyProtobuf(), data, sig)).isTrue();
    data[0] ^= 1;
    assertThat(PeerId.verify(identity.publicKeyProtobuf(), data, sig)).isFalse();
    assertThat(PeerId.verify(Identity.generate().publicKeyProtobuf(), data, sig)).isFalse();
    assertThat(PeerId.verify(new byte[] {1, 2, 3}, data, sig)).isFalse();
  }

  @Test
  void shouldVerifyRsaAndEcdsaKeysAsGoPeersSendThem() throws Exception {
    byte[] data = {9, 8, 7};
    for (String[] kind : new String[][] {{"RSA", "SHA256withRSA"}, {"EC", "SHA256withECDSA"}}) {
      java.security.KeyPair pair =
          java.security.KeyPairGenerator.getInstance(kind[0]).generateKeyPair();
      byte[] proto =
          KeyProtobuf.encode(
              kind[0].equals("RSA") ? KeyProtobuf.RSA : KeyProtobuf.ECDSA,
              pair.getPublic().getEncoded()); // PKIX DER, as the peer-ids spec says
      java.security.Signature signer = java.security.Signature.getInstance(kind[1]);
      signer.initSign(pair.getPrivate());
      signer.update(data);
      byte[] sig = signer.sign();

      assertThat(PeerId.verify(proto, data, sig)).as(kind[0]).isTrue();
      assertThat(PeerId.verify(proto, new byte[] {1}, sig)).as(kind[0]).isFalse();
      assertThat(PeerId.fromPublicKeyProtobuf(proto).toBase58()).startsWith("Qm");
    }
  }

  @Test
  void shouldRejectMalformedTextNamingTheProblem() {
    assertThatThrownBy(() -> PeerId.parse("12D3KooW0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'12D3KooW0'")
        .hasMessageContaining("'0'");
    assertThatThrownBy(
            () -> PeerId.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"))
        .hasMessageContaining("not libp2p-key");
    assertThatThrownBy(() -> PeerId.parse("xyz")).hasMessageContaining("'xyz'");
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x12, 0x20, 1, 2}))
        .hasMessageContaining("declares 32");
  }

  private static byte[] cidBytes(PeerId id) {
    byte[] mh = id.bytes();
    byte[] cid = new byte[mh.length + 2];
    cid[0] = 1;
    cid[1] = 0x72;
    System.arraycopy(mh, 0, cid, 2, mh.length);
    return cid;
  }
}
