package io.meshlog.node.p2p;

import java.nio.ByteBuffer;

/**
 * The echo protocol the js test peer also serves: every byte back, then close when the remote does.
 */
final class EchoProtocol {
  static final String ID = "/meshlog/echo/1.0.0";

  private EchoProtocol() {}

  static StreamHandler handler() {
    return stream ->
        stream.setListener(
            new StreamListener() {
              @Override
              public void onData(ProtocolStream s, ByteBuffer data) {
                s.write(data);
              }

              @Override
              public void onRemoteClose(ProtocolStream s) {
                s.closeWrite();
              }
            });
  }
}
