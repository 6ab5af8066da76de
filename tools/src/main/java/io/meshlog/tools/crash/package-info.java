/**
 * {@code meshlog crashtest}: a node under gossip load killed with SIGKILL at random moments,
 * restarted, and audited after every kill. Not API: the command and its IT are the users.
 */
package io.meshlog.tools.crash;
