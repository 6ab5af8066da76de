package io.meshlog.node.gossipsub;

import java.util.Optional;

/**
 * The gossipsub v1.1 rules between the mesh degrees, written once: {@link GossipsubConfig} checks
 * them at start and on reconfiguration, the JMX console before it changes an attribute, each naming
 * the degree in its own terms. Stateless and thread-safe.
 */
public final class MeshDegrees {

  /**
   * A broken rule.
   *
   * @param degree the degree at fault: {@code d}, {@code dLo}, {@code dHi}, {@code dLazy}, {@code
   *     dScore} or {@code dOut}
   * @param value its value
   * @param rule what it must be, with the values it is compared to
   */
  public record Violation(String degree, int value, String rule) {}

  private MeshDegrees() {}

  /** The first broken rule between D, D_lo, D_hi and D_lazy, if any. */
  public static Optional<Violation> check(int d, int dLo, int dHi, int dLazy) {
    if (d < 1) {
      return Optional.of(new Violation("d", d, "must be >= 1"));
    }
    if (dLo < 1 || dLo > d) {
      return Optional.of(new Violation("dLo", dLo, "must be 1..D=" + d));
    }
    if (dHi < d) {
      return Optional.of(new Violation("dHi", dHi, "must be >= D=" + d));
    }
    if (dLazy < 0) {
      return Optional.of(new Violation("dLazy", dLazy, "must be >= 0"));
    }
    return Optional.empty();
  }

  /** The first broken rule between all six degrees, if any. */
  public static Optional<Violation> check(
      int d, int dLo, int dHi, int dLazy, int dScore, int dOut) {
    Optional<Violation> v = check(d, dLo, dHi, dLazy);
    if (v.isPresent()) {
      return v;
    }
    if (dScore < 0 || dScore > d) {
      return Optional.of(new Violation("dScore", dScore, "must be 0..D=" + d));
    }
    if (dOut < 0 || dOut >= dLo || dOut > d / 2) {
      return Optional.of(
          new Violation("dOut", dOut, "must be >= 0, < D_lo=" + dLo + " and <= D/2=" + d / 2));
    }
    return Optional.empty();
  }
}
