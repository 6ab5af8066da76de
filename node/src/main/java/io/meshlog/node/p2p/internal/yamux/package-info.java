/**
 * Yamux stream multiplexing ({@code /yamux/1.0.0}) as a Netty handler. <b>Internal</b>: not part of
 * meshlog's API; the transport package is its only user and may change with it.
 *
 * <pre>
 *   secured bytes ─► YamuxSession ─ YamuxFrameDecoder ─► frame dispatch ─► YamuxStream ─► Listener
 *   Listener/any thread ─► YamuxStream.write ─► StreamSendQueue (peer's window) ─► frames ─► channel
 * </pre>
 *
 * <p>Every piece of state lives on the connection's event loop; the public methods that may be
 * called from other threads say so and hop onto it.
 */
package io.meshlog.node.p2p.internal.yamux;
