package dev.galley.node.agent;

import dev.galley.node.hardware.Hardware;

/** The hardware the agent tests register: 8 cores, one real and one simulated GPU. */
public final class NodeAgentTestHardware {
    public static final Hardware HARDWARE = NodeAgentTest.HARDWARE;

    private NodeAgentTestHardware() {}
}
