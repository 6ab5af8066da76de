/**
 * meshlog's dashboard: MXBeans in the {@code io.meshlog} JMX domain, JMX notifications, Micrometer
 * meters (JMX and Prometheus) and the remote JMX connector. This package holds what a caller needs
 * to start and stop it: {@link io.meshlog.jmx.MeshlogJmx}, {@link io.meshlog.jmx.JmxServerConfig},
 * {@link io.meshlog.jmx.JmxServer}, the handles {@code MeshlogJmx} returns ({@link
 * io.meshlog.jmx.MeshlogMBeans}, {@link io.meshlog.jmx.MeshlogMetrics}, {@link
 * io.meshlog.jmx.MeshlogNotifications}). The module's counters ({@link
 * io.meshlog.jmx.api.JmxCounter}) and the notification types ({@link
 * io.meshlog.jmx.api.NotificationTypes}) are contracts, in {@code jmx.api}, where the MBeans in
 * {@code jmx.internal} reach them without reaching back into this package.
 *
 * <pre>
 *   real node ──► jmx.adapter (HostNodeView, HostPeersView, JournalEventLogView,
 *                              ProjectionTopicsView, GossipsubControl, LiveMeshState, NodeMeters)
 *                   │ implement
 *                   ▼
 *   jmx.view (EventLogView, NodeView, PeersView, TopicsView, GossipControl, MeshlogViews)
 *                   │ read by
 *                   ▼
 *   jmx.internal MBeans ─ implement jmx.api (NodeMXBean, ...) ─► io.meshlog:type=EventLog|Node|
 *                   Peers|Topic|Gossipsub ──► JmxServer ──► consoles
 *   MeshlogMetrics ─► io.meshlog:type=Metrics,name=...  and  GET /metrics ──────────────► Prometheus
 * </pre>
 *
 * The MBeans see the node only through the small view interfaces, so they are testable without a
 * node and other front-ends can reuse the views; only {@code jmx.adapter} knows the node process.
 * Micrometer types never appear here: they stay in {@code io.meshlog.jmx.internal}. The build
 * checks these rules ({@code ImportRulesTest}).
 */
package io.meshlog.jmx;
