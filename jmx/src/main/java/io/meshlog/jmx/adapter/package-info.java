/**
 * The views over a running node: the one place of the jmx module that knows the node process
 * ({@code io.meshlog.node.MeshlogNode}), its host, router, journal and projections, and {@link
 * io.meshlog.jmx.adapter.NodeMeters}, which binds every counter of every module to the meters.
 */
package io.meshlog.jmx.adapter;
