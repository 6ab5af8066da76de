package io.meshlog.reconciliation.order;

/** Test messages: id n, origin byte o, Lamport time l. */
final class Messages {
  private Messages() {}

  static MessageKey id(int n) {
    return MessageKey.of(
        new byte[] {(byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n});
  }

  static OrderedMessage msg(String topic, int n, long lamport, int origin) {
    return new OrderedMessage(topic, id(n), lamport, new byte[] {(byte) origin}, n);
  }

  static OrderedMessage msg(int n, long lamport) {
    return msg("chat", n, lamport, 1);
  }
}
