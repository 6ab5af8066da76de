/**
 * What the MBeans read: small view interfaces over a node ({@link io.meshlog.jmx.view.NodeView},
 * {@link io.meshlog.jmx.view.PeersView}, ...), the values they return, and {@link
 * io.meshlog.jmx.view.MeshlogViews}, the set handed to {@code MeshlogJmx.start}. Views are called
 * from console (RMI) threads and the sampler thread; implementations are thread-safe. Nothing here
 * knows the node process or the MBean implementations.
 */
package io.meshlog.jmx.view;
