package io.meshlog.tools.process;

/**
 * A command's failure with the {@link ExitCode} it ends with. A command throws it instead of
 * printing: the one execution-exception handler prints {@code meshlog <command>: <message>} on the
 * command's error writer and exits with {@link #exitCode()}.
 */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CommandFailure(int exitCode, String message) {
    // A null message (one taken from an exception that had none) reads "null", as it always did.
    super(String.valueOf(message));
    this.exitCode = exitCode;
  }

  /** {@link ExitCode#USAGE}: a bad option or setting; the message names it. */
  public static CommandFailure usage(String message) {
    return new CommandFailure(ExitCode.USAGE, message);
  }

  /** {@link ExitCode#FAILED}: the command ran and the answer is no, or its self-check failed. */
  public static CommandFailure failed(String message) {
    return new CommandFailure(ExitCode.FAILED, message);
  }

  /** {@link ExitCode#UNREADABLE}: a journal, the projections or a Kafka topic cannot be read. */
  public static CommandFailure unreadable(String message) {
    return new CommandFailure(ExitCode.UNREADABLE, message);
  }

  /** One of {@link ExitCode}'s constants, never {@link ExitCode#OK}. */
  public int exitCode() {
    return exitCode;
  }
}
