package dev.galley.node.agent;

import dev.galley.node.hardware.Hardware;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.node.runtime.ContainerRuntime;
import java.time.Clock;

/** What every {@link RunSupervisor} of one agent shares. */
record SupervisorContext(
        NodeAgentConfig config,
        Hardware hardware,
        ContainerRuntime runtime,
        ControlPlaneClient controlPlane,
        RunStatusOutbox outbox,
        Clock clock) {}
