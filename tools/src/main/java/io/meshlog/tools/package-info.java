/**
 * The {@code meshlog} command line: {@link io.meshlog.tools.Main}, which lists the commands, and
 * the one handler that turns an exception into a message and an exit code.
 *
 * <pre>
 *   tools            Main: the command table; the one CommandFailureHandler
 *   tools.command    one picocli class per command, and the option mixins they share
 *   tools.report     the libraries that print: journal dump, stats tables, benchmark JSON
 *   tools.process    process plumbing: the table of exit codes (ExitCode) and the failure a
 *                    command throws with one (CommandFailure), a node's consoles
 *                    (NodeConsoles), child node JVMs of the demo, signals, log files
 * </pre>
 */
package io.meshlog.tools;
