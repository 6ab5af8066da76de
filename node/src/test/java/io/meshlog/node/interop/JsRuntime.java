package io.meshlog.node.interop;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the js-libp2p test peer lives and which {@code node} runs it.
 *
 * <p>The directory comes from the {@code meshlog.js.dir} system property (set by node/pom.xml for
 * surefire and failsafe), else {@code src/test/js} relative to the working directory. The
 * executable comes from {@code meshlog.node}, else {@code node} on the PATH.
 */
final class JsRuntime {
  private JsRuntime() {}

  /** The js package directory; fails with instructions when its dependencies are not installed. */
  static Path jsDir() {
    Path dir = Path.of(System.getProperty("meshlog.js.dir", "src/test/js")).toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("peer.mjs"))) {
      throw new IllegalStateException("js test peer not found: no peer.mjs in " + dir);
    }
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      throw new IllegalStateException(
          "js test peer dependencies are not installed: run `npm ci` in "
              + dir
              + " (the node module's build does this unless -Dskip.npm is given)");
    }
    return dir;
  }

  static String nodeExecutable() {
    return System.getProperty("meshlog.node", "node");
  }

  /** Kills a process and everything it started, children first. */
  static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
