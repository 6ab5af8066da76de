/**
 * The {@code meshlog} command line: {@link io.meshlog.tools.Main}, which lists the commands, the
 * table of exit codes and the one handler that turns an exception into a message and an exit code.
 *
 * <pre>
 *   tools            Main: the command table; ExitCode; the one CommandFailureHandler
 *   tools.command    one picocli class per command, and the option mixins they share
 *   tools.report     the libraries that print: journal dump, stats tables, benchmark JSON
 *   tools.process    process plumbing: child node JVMs of the demo, signals, log files
 * </pre>
 *
 * <p>{@code NodeConsoles} (and {@code EnvelopedNodeView}, which it wraps the JMX view in) still sit
 * here, until the JMX console publishes through the node itself.
 */
package io.meshlog.tools;
