/**
 * Ordering logic shared by the node and the replay tools: Lamport clocks and the message envelope.
 * Pure: no sockets, no clock reads; time always comes in as data.
 */
package io.meshlog.reconciliation;
