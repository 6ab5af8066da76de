/**
 * meshlog's dashboard: MXBeans in the {@code io.meshlog} JMX domain, JMX notifications, Micrometer
 * meters (JMX and Prometheus) and the remote JMX connector.
 *
 * <pre>
 *   real node ──► adapters (JournalEventLogView, HostNodeView, HostPeersView,
 *                           ProjectionTopicsView, GossipsubControl, LiveMeshState)
 *                   │ implement
 *                   ▼
 *   views (EventLogView, NodeView, PeersView, TopicsView, GossipControl)
 *                   │ read by
 *                   ▼
 *   MeshlogMBeans ──► io.meshlog:type=EventLog|Node|Peers|Topic|Gossipsub ──► JmxServer ──► consoles
 *   MeshlogMetrics ─► io.meshlog:type=Metrics,name=...  and  GET /metrics ──────────────► Prometheus
 * </pre>
 *
 * The MBeans see the node only through the small view interfaces, so they are testable without a
 * node and other front-ends can reuse the views. {@link io.meshlog.jmx.MeshlogJmx} starts it all;
 * {@link io.meshlog.jmx.JmxConfig} holds every setting. Micrometer types never appear here: they
 * stay in {@code io.meshlog.jmx.internal}.
 */
package io.meshlog.jmx;
