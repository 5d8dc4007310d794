package dev.galley.server.nodes;

import java.util.List;

/** A node with its GPUs: everything the node object shows. */
public record NodeDetail(NodeRow node, List<NodeGpu> gpus) {}
