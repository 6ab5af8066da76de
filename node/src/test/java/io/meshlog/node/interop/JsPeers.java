package io.meshlog.node.interop;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that owns the js peers a test starts: when the test fails it prints each peer's
 * stderr, and after every test it closes them all, so no process outlives its test.
 *
 * <pre>
 *   &#64;RegisterExtension final JsPeers js = new JsPeers();
 *   ...
 *   JsPeer a = js.start(JsPeerOptions.defaults());
 * </pre>
 */
public final class JsPeers implements AfterTestExecutionCallback, AfterEachCallback {
  private final List<JsPeer> peers = new ArrayList<>();

  /** Starts a peer that is closed after the current test. */
  public synchronized JsPeer start(JsPeerOptions options) {
    JsPeer peer = JsPeer.start(options);
    peers.add(peer);
    return peer;
  }

  public JsPeer start() {
    return start(JsPeerOptions.defaults());
  }

  @Override
  public synchronized void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    for (JsPeer peer : peers) {
      System.err.println("--- stderr of " + peer + " (" + context.getDisplayName() + ") ---");
      System.err.println(peer.stderr());
    }
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    for (JsPeer peer : peers) {
      peer.close();
    }
    peers.clear();
  }
}
