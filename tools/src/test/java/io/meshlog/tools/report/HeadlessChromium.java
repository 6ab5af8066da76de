package io.meshlog.tools.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium} in headless mode, for tests of the pages meshlog writes: loads a file
 * and returns the DOM after its scripts ran. Without a browser the test is skipped, except with
 * {@code CI=true}, where it fails ({@code .ci/run} installs chromium; README, "Tests").
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** The browser's path; skips (or, on CI, fails) the calling test when there is none. */
  public static Path require() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "chromium");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("chromium is not installed (CI=true): apt-get install -y chromium");
    }
    Assumptions.abort("chromium is not installed: apt-get install -y chromium");
    return null;
  }

  /**
   * Loads {@code page} (with {@code fragment}, e.g. {@code "#m=ab01"}, or "") and returns the
   * serialized DOM once the load event and the page's scripts are done.
   */
  public static String dumpDom(Path page, String fragment, Path scratch) throws Exception {
    Path browser = require();
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    Path out = scratch.resolve("dom-" + System.nanoTime() + ".html");
    Path err = scratch.resolve("chromium-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    browser.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--user-data-dir=" + profile,
                    "--dump-dom",
                    page.toUri() + fragment))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish loading " + page + " within 90 s: " + tail(err));
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || dom.isEmpty()) {
      fail("chromium exited " + p.exitValue() + " on " + page + ": " + tail(err));
    }
    return dom;
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log, StandardCharsets.UTF_8);
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }
}
