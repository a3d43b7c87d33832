/**
 * Cluster mode: this node's identity and heartbeat in {@code cluster_node}, which nodes are alive, and the Hazelcast
 * cluster manager of the clustered event bus. Nothing here runs unless {@code cluster_enabled} is true.
 */
package io.pricetide.cluster;
