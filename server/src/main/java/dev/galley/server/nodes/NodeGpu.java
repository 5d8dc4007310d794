package dev.galley.server.nodes;

import java.util.UUID;

/** One GPU of a node as registered: its device index, registry model and VRAM. */
public record NodeGpu(int deviceIndex, UUID gpuUuid, String name, double vramGb) {}
