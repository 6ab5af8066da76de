package io.meshlog.node.interop;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the js programs of the interop tests live and which {@code node} runs them.
 *
 * <p>Each program's directory comes from its system property (set by node/pom.xml for surefire and
 * failsafe), else its folder under {@code src/test} relative to the working directory. The
 * executable comes from {@code meshlog.node}, else {@code node} on the PATH.
 */
final class JsRuntime {
  private JsRuntime() {}

  /** A js program: its package directory and the script that runs it. */
  enum Program {
    /** The js-libp2p 3.x test peer, {@code node peer.mjs}. */
    PEER("meshlog.js.dir", "src/test/js", "peer.mjs", "npm ci"),
    /** The js-libp2p 2.x rendezvous client, {@code node rendezvous.mjs}. */
    RENDEZVOUS_CLIENT(
        "meshlog.js.rendezvous.dir",
        "src/test/js-rendezvous",
        "rendezvous.mjs",
        "npm ci --ignore-scripts");

    private final String property;
    private final String defaultDir;
    private final String script;
    private final String install;

    Program(String property, String defaultDir, String script, String install) {
      this.property = property;
      this.defaultDir = defaultDir;
      this.script = script;
      this.install = install;
    }

    String script() {
      return script;
    }

    /** The package directory; fails with instructions when its dependencies are not installed. */
    Path dir() {
      Path dir = Path.of(System.getProperty(property, defaultDir)).toAbsolutePath();
      if (!Files.isRegularFile(dir.resolve(script))) {
        throw new IllegalStateException("js program not found: no " + script + " in " + dir);
      }
      if (!Files.isDirectory(dir.resolve("node_modules"))) {
        throw new IllegalStateException(
            "js dependencies of "
                + script
                + " are not installed: run `"
                + install
                + "` in "
                + dir
                + " (the node module's build does this unless -Dskip.npm is given)");
      }
      return dir;
    }
  }

  /** The js test peer's package directory; see {@link Program#dir()}. */
  static Path jsDir() {
    return Program.PEER.dir();
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
