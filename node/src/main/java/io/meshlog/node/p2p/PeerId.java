package io.meshlog.node.p2p;

import io.meshlog.eventlog.Base58;
import io.meshlog.node.p2p.internal.Varint;
import io.meshlog.node.p2p.internal.crypto.Crypto;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a peer's public key protobuf (see the libp2p peer-ids spec).
 * Keys whose protobuf is at most 42 bytes (Ed25519) are inlined with the identity multihash, so the
 * public key can be read back out of the id; larger keys (RSA, ECDSA) are hashed with SHA-256.
 *
 * <p>Text forms: base58btc of the multihash ({@code 12D3KooW...}, {@code Qm...}), the canonical
 * form, and CIDv1 with the {@code libp2p-key} codec ({@code bafz...} in base32, {@code k51...} in
 * base36).
 *
 * <p>Immutable and thread-safe; {@link #equals} and {@link #hashCode} compare the multihash bytes.
 */
public final class PeerId {

  /** Longest key protobuf that is inlined rather than hashed (peer-ids spec). */
  public static final int MAX_INLINE_KEY_BYTES = 42;

  private static final int IDENTITY = 0x00;
  private static final int SHA2_256 = 0x12;
  private static final int CID_V1 = 0x01;
  private static final int LIBP2P_KEY = 0x72;
  private static final int MAX_MULTIHASH_BYTES = 64;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final byte[] bytes;
  private final int hash;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * Derives the peer id of a public key given as a libp2p {@code PublicKey} protobuf: the identity
   * multihash when the protobuf is at most 42 bytes, the SHA-256 multihash otherwise.
   */
  public static PeerId fromPublicKeyProtobuf(byte[] pubKeyProto) {
    if (pubKeyProto.length <= MAX_INLINE_KEY_BYTES) {
      byte[] mh = new byte[2 + pubKeyProto.length];
      mh[0] = IDENTITY;
      mh[1] = (byte) pubKeyProto.length;
      System.arraycopy(pubKeyProto, 0, mh, 2, pubKeyProto.length);
      return new PeerId(mh);
    }
    byte[] mh = new byte[34];
    mh[0] = SHA2_256;
    mh[1] = 32;
    System.arraycopy(sha256(pubKeyProto), 0, mh, 2, 32);
    return new PeerId(mh);
  }

  /**
   * Wraps multihash bytes (the binary form of a peer id, as in a multiaddr's {@code /p2p}).
   *
   * @throws IllegalArgumentException if the bytes are not an identity (at most 42 bytes of digest)
   *     or SHA-256 multihash with a length that matches
   */
  public static PeerId fromBytes(byte[] multihash) {
    if (multihash.length > MAX_MULTIHASH_BYTES) {
      throw new IllegalArgumentException(
          "peer id of " + multihash.length + " bytes is too long for a multihash");
    }
    int[] cursor = {0};
    int code = Varint.read(multihash, cursor);
    int length = Varint.read(multihash, cursor);
    if (code == IDENTITY) {
      if (length > MAX_INLINE_KEY_BYTES) {
        throw new IllegalArgumentException("identity multihash of " + length + " bytes exceeds 42");
      }
    } else if (code == SHA2_256) {
      if (length != 32) {
        throw new IllegalArgumentException("sha2-256 multihash with digest length " + length);
      }
    } else {
      throw new IllegalArgumentException(
          "unsupported multihash code 0x" + Integer.toHexString(code));
    }
    if (multihash.length - cursor[0] != length) {
      throw new IllegalArgumentException(
          "multihash declares "
              + length
              + " digest bytes but has "
              + (multihash.length - cursor[0]));
    }
    return new PeerId(multihash.clone());
  }

  /**
   * Parses a peer id from text: base58btc multihash ({@code 12D3KooW...}, {@code Qm...}) or a CIDv1
   * with the libp2p-key codec in base32 ({@code b...}), base36 ({@code k...}) or base58btc ({@code
   * z...}).
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static PeerId parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty peer id");
    }
    try {
      char first = text.charAt(0);
      if (first == '1' || text.startsWith("Qm")) {
        return fromBytes(Base58.decode(text));
      }
      byte[] cid;
      if (first == 'b') {
        cid = decodeBase32(text.substring(1));
      } else if (first == 'k') {
        cid = decodeBase36(text.substring(1));
      } else if (first == 'z') {
        cid = Base58.decode(text.substring(1));
      } else {
        throw new IllegalArgumentException("neither base58 multihash nor a known multibase");
      }
      int[] cursor = {0};
      int version = Varint.read(cid, cursor);
      int codec = Varint.read(cid, cursor);
      if (version != CID_V1) {
        throw new IllegalArgumentException("CID version " + version + " is not 1");
      }
      if (codec != LIBP2P_KEY) {
        throw new IllegalArgumentException(
            "CID codec 0x" + Integer.toHexString(codec) + " is not libp2p-key (0x72)");
      }
      return fromBytes(Arrays.copyOfRange(cid, cursor[0], cid.length));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Verifies {@code sig} over {@code data} with the key in a libp2p {@code PublicKey} protobuf.
   * Supports Ed25519, RSA (PKCS#1 v1.5 with SHA-256) and ECDSA (SHA-256, DER signature); secp256k1
   * keys, malformed keys and malformed signatures all verify as {@code false}.
   */
  public static boolean verify(byte[] pubKeyProto, byte[] data, byte[] sig) {
    KeyProtobuf.Key key;
    try {
      key = KeyProtobuf.decode(pubKeyProto);
    } catch (IllegalArgumentException e) {
      return false;
    }
    switch (key.type()) {
      case KeyProtobuf.ED25519:
        return Crypto.ed25519().verify(key.data(), data, sig);
      case KeyProtobuf.RSA:
        return verifyX509(key.data(), "RSA", "SHA256withRSA", data, sig);
      case KeyProtobuf.ECDSA:
        return verifyX509(key.data(), "EC", "SHA256withECDSA", data, sig);
      default:
        return false;
    }
  }

  private static boolean verifyX509(
      byte[] der, String keyAlgorithm, String sigAlgorithm, byte[] data, byte[] sig) {
    try {
      PublicKey publicKey =
          KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
      Signature signature = Signature.getInstance(sigAlgorithm);
      signature.initVerify(publicKey);
      signature.update(data);
      return signature.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The multihash bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The canonical text form: base58btc of the multihash. */
  public String toBase58() {
    return Base58.encode(bytes);
  }

  /** CIDv1, libp2p-key codec, multibase base32 (lowercase, unpadded, {@code b} prefix). */
  public String toCid() {
    byte[] cid = new byte[2 + bytes.length];
    cid[0] = CID_V1;
    cid[1] = LIBP2P_KEY;
    System.arraycopy(bytes, 0, cid, 2, bytes.length);
    return "b" + encodeBase32(cid);
  }

  /** The public key protobuf when it is inlined (identity multihash), else empty. */
  public Optional<byte[]> publicKeyProtobuf() {
    if (bytes[0] != IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(bytes, 2, bytes.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId && Arrays.equals(bytes, ((PeerId) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Same as {@link #toBase58()}. */
  @Override
  public String toString() {
    return toBase58();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String encodeBase32(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  private static byte[] decodeBase32(String text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value;
      if (c >= 'a' && c <= 'z') {
        value = c - 'a';
      } else if (c >= '2' && c <= '7') {
        value = c - '2' + 26;
      } else {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' at " + (i + 1));
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  private static byte[] decodeBase36(String text) {
    if (text.isEmpty() || text.length() > 2 * MAX_MULTIHASH_BYTES) {
      throw new IllegalArgumentException("base36 text of " + text.length() + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        throw new IllegalArgumentException("invalid base36 character '" + c + "' at " + (i + 1));
      }
    }
    // A CID starts with version byte 1, so there are no leading zero bytes to preserve.
    byte[] value = new BigInteger(text, 36).toByteArray();
    return value.length > 1 && value[0] == 0 ? Arrays.copyOfRange(value, 1, value.length) : value;
  }
}
