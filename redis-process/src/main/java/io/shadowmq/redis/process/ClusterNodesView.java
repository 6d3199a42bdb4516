package io.shadowmq.redis.process;

import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node's view of its cluster, read from the text of {@code CLUSTER NODES}: who is master of which slots, who
 * replicates whom, and whether any node is failing or still shaking hands. Two views that agree print the same
 * {@link #slotMap()}.
 *
 * <pre>{@code
 * ClusterNodesView view = ClusterNodesView.parse(clusterNodesReply);
 * boolean settled = view.healthy() && view.slotMap().equals(otherView.slotMap());
 * }</pre>
 *
 * @param nodes every line of the reply, in the order given
 */
record ClusterNodesView(@NotNull List<Node> nodes) {

    ClusterNodesView {
        nodes = List.copyOf(nodes);
    }

    /**
     * One line of {@code CLUSTER NODES}:
     * {@code <id> <ip:port@cport> <flags> <master|-> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...}.
     *
     * @param slots the slot ranges it serves ({@code 0-5460}, {@code 7000}); open migrations ({@code [..]}) left out
     */
    record Node(
            @NotNull String id,
            int port,
            @NotNull List<String> flags,
            @NotNull String masterId,
            @NotNull List<String> slots) {

        boolean isMaster() {
            return flags.contains("master");
        }

        boolean isMyself() {
            return flags.contains("myself");
        }

        /** Failing, suspected of failing, still in the handshake, or without an address: not settled. */
        boolean isTroubled() {
            return flags.stream()
                    .anyMatch(
                            f -> f.equals("fail") || f.equals("fail?") || f.equals("handshake") || f.equals("noaddr"));
        }
    }

    static @NotNull ClusterNodesView parse(@NotNull String clusterNodes) {
        List<Node> nodes = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8) {
                continue;
            }
            String address = fields[1];
            int at = address.indexOf('@');
            String hostPort = at < 0 ? address : address.substring(0, at);
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            List<String> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) {
                    slots.add(fields[i]);
                }
            }
            nodes.add(new Node(fields[0], port, List.of(fields[2].split(",")), fields[3], slots));
        }
        return new ClusterNodesView(nodes);
    }

    /**
     * The port a node ran on, from the {@code nodes.conf} it left in {@code dir} (same format as
     * {@code CLUSTER NODES}); empty if there is none, i.e. the node was never part of a cluster.
     */
    static @NotNull Optional<Integer> ownPortInNodesConf(@NotNull Path dir) throws IOException {
        Path file = dir.resolve("nodes.conf");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return parse(Files.readString(file)).myself().map(Node::port);
    }

    /** The node that wrote this view. */
    @NotNull
    Optional<Node> myself() {
        return nodes.stream().filter(Node::isMyself).findFirst();
    }

    /** No node failing or in the handshake. */
    boolean healthy() {
        return nodes.stream().noneMatch(Node::isTroubled);
    }

    /**
     * The shape of the cluster as text that two agreeing views share: each master's id with its slots, each
     * replica's id with its master's, sorted by id.
     */
    @NotNull
    String slotMap() {
        Map<String, String> byId = new TreeMap<>();
        for (Node node : nodes) {
            byId.put(
                    node.id(),
                    node.isMaster() ? "master " + String.join(",", node.slots()) : "replica of " + node.masterId());
        }
        return byId.toString();
    }
}
