package io.meshlog.node.p2p.internal.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses a bound listener can be reached at. A wildcard bind (0.0.0.0, ::) is expanded to
 * the addresses of the interfaces that are up, of the same family, because a wildcard is useless to
 * the peers identify advertises it to (js-libp2p does the same).
 */
final class ListenAddresses {
  private ListenAddresses() {}

  /**
   * @param requested the address asked for; its family counts, since a dual-stack socket bound to
   *     0.0.0.0 reports itself as ::
   * @param bound the address the socket got (the port when 0 was asked for)
   */
  static List<InetSocketAddress> of(InetSocketAddress requested, InetSocketAddress bound) {
    InetSocketAddress asBound = new InetSocketAddress(requested.getAddress(), bound.getPort());
    if (!requested.getAddress().isAnyLocalAddress()) {
      return List.of(asBound);
    }
    boolean v4 = requested.getAddress() instanceof Inet4Address;
    List<InetSocketAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if ((a instanceof Inet4Address) == v4 && !a.isLinkLocalAddress()) {
            out.add(new InetSocketAddress(a, bound.getPort()));
          }
        }
      }
    } catch (SocketException e) {
      return List.of(asBound);
    }
    return out.isEmpty() ? List.of(asBound) : out;
  }
}
