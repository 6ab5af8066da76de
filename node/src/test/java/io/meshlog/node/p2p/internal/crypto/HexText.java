package io.meshlog.node.p2p.internal.crypto;

/** Bytes of hex test vectors, spaces ignored. */
final class HexText {
  private HexText() {}

  static byte[] bytes(String hex) {
    String h = hex.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
