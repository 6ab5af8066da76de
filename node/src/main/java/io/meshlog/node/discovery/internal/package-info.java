/**
 * Internal: the rendezvous protocol's hand-written protobuf codec and its message records. Not part
 * of meshlog's API; may change without notice.
 */
package io.meshlog.node.discovery.internal;
