/**
 * Process plumbing of the commands: the table of exit codes and the failure a command throws with
 * one, a node's consoles (JMX, Prometheus), the demo's child node JVMs, SIGTERM/SIGINT handling, a
 * node's log files. Below the commands and the command table in {@code io.meshlog.tools}, which
 * both use it. Not API.
 */
package io.meshlog.tools.process;
