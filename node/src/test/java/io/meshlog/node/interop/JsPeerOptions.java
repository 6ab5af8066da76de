package io.meshlog.node.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a js test peer: which program ({@code peer.mjs}, or the rendezvous client), its
 * options (passed as {@code --key=value}, see DEFAULT_OPTIONS in node/src/test/js/lib/node.mjs, the
 * head of node/src/test/js-rendezvous/rendezvous.mjs and docs/interop.md), extra environment (e.g.
 * {@code DEBUG}) and how long to wait for it to be ready. Immutable; every {@code with*} returns a
 * copy.
 */
public final class JsPeerOptions {
  private final JsRuntime.Program program;
  private final Map<String, String> options;
  private final Map<String, String> env;
  private final Duration startTimeout;

  private JsPeerOptions(
      JsRuntime.Program program,
      Map<String, String> options,
      Map<String, String> env,
      Duration start) {
    this.program = program;
    this.options = Collections.unmodifiableMap(options);
    this.env = Collections.unmodifiableMap(env);
    this.startTimeout = start;
  }

  /** The js test peer with js-libp2p's own defaults, a 30 s start timeout. */
  public static JsPeerOptions defaults() {
    return new JsPeerOptions(
        JsRuntime.Program.PEER,
        new LinkedHashMap<>(),
        new LinkedHashMap<>(),
        Duration.ofSeconds(30));
  }

  /**
   * The js-libp2p rendezvous client, run once against the directory at {@code directory} (a
   * multiaddr with {@code /p2p}) in namespace {@code ns}; a 30 s start timeout.
   */
  public static JsPeerOptions rendezvousClient(String directory, String ns) {
    return new JsPeerOptions(
            JsRuntime.Program.RENDEZVOUS_CLIENT,
            new LinkedHashMap<>(),
            new LinkedHashMap<>(),
            Duration.ofSeconds(30))
        .with("directory", directory)
        .with("ns", ns);
  }

  /** Sets one option, e.g. {@code with("D", 4)} or {@code with("scoring", false)}. */
  public JsPeerOptions with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, String> copy = new LinkedHashMap<>(options);
    copy.put(key, String.valueOf(value));
    return new JsPeerOptions(program, copy, env, startTimeout);
  }

  /** Exempts loopback from js's inbound connection rate limit (5 per second per IP). */
  public JsPeerOptions allowLoopback() {
    return with("allow", "/ip4/127.0.0.1/ipcidr/32");
  }

  /** Sets an environment variable for the js process, e.g. {@code withEnv("DEBUG", "libp2p:*")}. */
  public JsPeerOptions withEnv(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new JsPeerOptions(program, options, copy, startTimeout);
  }

  public JsPeerOptions withStartTimeout(Duration timeout) {
    return new JsPeerOptions(program, options, env, Objects.requireNonNull(timeout, "timeout"));
  }

  JsRuntime.Program program() {
    return program;
  }

  List<String> arguments() {
    List<String> args = new ArrayList<>(options.size());
    options.forEach((k, v) -> args.add("--" + k + "=" + v));
    return args;
  }

  Map<String, String> env() {
    return env;
  }

  Duration startTimeout() {
    return startTimeout;
  }

  @Override
  public String toString() {
    return "JsPeerOptions("
        + program.script()
        + ")"
        + options
        + (env.isEmpty() ? "" : " env" + env);
  }
}
