package io.meshlog.reconciliation.replay;

/** Lower-case hex, two digits a byte: the form {@code meshlog journal dump} prints ids in. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  static String of(byte[] b) {
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = DIGITS[(b[i] >> 4) & 0xF];
      out[2 * i + 1] = DIGITS[b[i] & 0xF];
    }
    return new String(out);
  }
}
