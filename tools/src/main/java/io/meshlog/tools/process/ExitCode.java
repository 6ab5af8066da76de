package io.meshlog.tools.process;

/**
 * Every exit code of {@code meshlog}, one meaning each (the table is also in README.md).
 *
 * <pre>
 *   0   OK              done; verify: identical; node: stopped by SIGTERM/SIGINT after draining
 *   1   FAILED          the command ran and the answer is no: verify found a difference, unknown
 *                       peer or topic, a benchmark's self-check failed (bench kafka: its broker
 *                       refused or could not be reached), a node could not start;
 *                       journal dump: journal missing or damaged (its documented contract)
 *   2   USAGE           a bad option or setting; the message names it
 *                       (health: 0 healthy, 1 degraded, 2 failed or not answering)
 *                       (top: 2 the node cannot be reached; the message says where)
 *   3   UNREADABLE      stats, projections, replay, order, ship, peers, directory peers:
 *                       a journal or the projections cannot be read (replay --kafka: the
 *                       Kafka topic it replays)
 *   4   TARGET_MISSED   bench --strict: a figure missed its target
 *   70  INTERNAL        an unexpected exception (a bug); the message names it
 * </pre>
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNREADABLE = 3;
  public static final int TARGET_MISSED = 4;
  public static final int INTERNAL = 70;

  private ExitCode() {}
}
