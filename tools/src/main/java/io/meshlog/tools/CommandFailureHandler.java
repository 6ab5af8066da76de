package io.meshlog.tools;

import io.meshlog.eventlog.JournalException;
import io.meshlog.eventlog.projection.ProjectionException;
import io.meshlog.tools.process.CommandFailure;
import io.meshlog.tools.process.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one place an exception a command throws becomes a message and an {@link ExitCode}: {@code
 * meshlog <command>: <message>} on the command's error writer. A {@link CommandFailure} is a
 * command's own failure and carries its code; other exceptions are mapped by their type.
 */
final class CommandFailureHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandSpec().qualifiedName();
    int code = exitCode(e);
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    err.println(
        name + ": " + (code == ExitCode.INTERNAL ? e.getClass().getName() + ": " : "") + message);
    err.flush();
    return code;
  }

  static int exitCode(Exception e) {
    if (e instanceof CommandFailure f) {
      return f.exitCode();
    }
    if (e instanceof JournalException || e instanceof ProjectionException) {
      return ExitCode.UNREADABLE;
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCode.USAGE;
    }
    if (e instanceof IllegalStateException) {
      return ExitCode.FAILED;
    }
    return ExitCode.INTERNAL;
  }
}
