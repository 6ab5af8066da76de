package io.meshlog.node.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a js test peer: its options (passed as {@code --key=value}, see DEFAULT_OPTIONS in
 * node/src/test/js/lib/node.mjs and docs/interop.md), extra environment (e.g. {@code DEBUG}) and
 * how long to wait for it to be ready. Immutable; every {@code with*} returns a copy.
 */
public final class JsPeerOptions {
  private final Map<String, String> options;
  private final Map<String, String> env;
  private final Duration startTimeout;

  private JsPeerOptions(Map<String, String> options, Map<String, String> env, Duration start) {
    this.options = Collections.unmodifiableMap(options);
    this.env = Collections.unmodifiableMap(env);
    this.startTimeout = start;
  }

  /** js-libp2p's own defaults, a 30 s start timeout. */
  public static JsPeerOptions defaults() {
    return new JsPeerOptions(new LinkedHashMap<>(), new LinkedHashMap<>(), Duration.ofSeconds(30));
  }

  /** Sets one option, e.g. {@code with("D", 4)} or {@code with("scoring", false)}. */
  public JsPeerOptions with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, String> copy = new LinkedHashMap<>(options);
    copy.put(key, String.valueOf(value));
    return new JsPeerOptions(copy, env, startTimeout);
  }

  /** Exempts loopback from js's inbound connection rate limit (5 per second per IP). */
  public JsPeerOptions allowLoopback() {
    return with("allow", "/ip4/127.0.0.1/ipcidr/32");
  }

  /** Sets an environment variable for the js process, e.g. {@code withEnv("DEBUG", "libp2p:*")}. */
  public JsPeerOptions withEnv(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new JsPeerOptions(options, copy, startTimeout);
  }

  public JsPeerOptions withStartTimeout(Duration timeout) {
    return new JsPeerOptions(options, env, Objects.requireNonNull(timeout, "timeout"));
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
    return "JsPeerOptions" + options + (env.isEmpty() ? "" : " env" + env);
  }
}
