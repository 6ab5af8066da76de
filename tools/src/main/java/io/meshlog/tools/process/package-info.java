/**
 * Process plumbing of the commands: the demo's child node JVMs, SIGTERM/SIGINT handling, a node's
 * log files. Not API.
 */
package io.meshlog.tools.process;
